// The engine host's own rules, on the real engine over Node's MessageChannel: malformed messages, cancellation by
// message, by id and by shutdown (which cancels before it waits, and loses nothing), and an engine that cannot
// start or that stops.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { test } from 'node:test';
import type { IndexProgress, IndexSummary } from '../../core/contract/api.js';
import type { IpcReply } from '../../core/contract/bridge.js';
import { createHostClient } from '../../core/host/client.js';
import { hostEngine } from '../../core/host/engine-host.js';
import { hostInThread } from '../../core/host/in-thread.js';
import { fromNodePort } from '../../core/host/port.js';
import { tinyEngine } from '../support/engine.js';
import { tempDir } from '../support/temp.js';

function folderOf(files: number): string {
  const dir = join(tempDir('localrag-host-docs-'), 'docs');
  mkdirSync(dir);
  for (let i = 0; i < files; i++) writeFileSync(join(dir, `note-${String(i).padStart(4, '0')}.md`), `# Note ${i}\n\nWing section ${i} has a chord of ${i} mm and a span of ${i * 3} mm.\n`);
  return dir;
}

const summaryOf = (reply: IpcReply): IndexSummary => {
  assert.ok(reply.ok, JSON.stringify(reply));
  return reply.result as IndexSummary;
};

test('a malformed message is answered when it names a call, and dropped otherwise', async () => {
  const engine = await tinyEngine(join(tempDir(), 'store'));
  const { port1, port2 } = new MessageChannel();
  hostEngine(fromNodePort(port1), async () => engine);
  const replies: unknown[] = [];
  port2.on('message', (m) => replies.push(m));
  await new Promise((r) => setTimeout(r, 200));
  port2.postMessage({ type: 'call', conn: 1, id: 7, method: 'getStatus' });
  port2.postMessage({ type: 'explode' });
  port2.postMessage('not even an object');
  port2.postMessage({ type: 'call', conn: 1, id: 8, method: 'getSettings', req: {} });
  const end = Date.now() + 10_000;
  while (replies.filter((r) => (r as { type: string }).type === 'reply').length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  const byId = new Map(replies.filter((r) => (r as { type: string }).type === 'reply').map((r) => [(r as { id: number }).id, (r as { reply: IpcReply }).reply]));
  assert.equal(byId.get(7)?.ok, false);
  assert.equal(!byId.get(7)?.ok && (byId.get(7) as { error: { code: string } }).error.code, 'invalid-message');
  assert.equal(byId.get(8)?.ok, true, 'the host carries on after bad messages');
  port2.postMessage({ type: 'shutdown' });
  await engine.close();
  port2.close();
});

test('a request that cannot be copied to the engine (nested 10,000 deep) is answered at once, and the host carries on', async () => {
  const engine = await tinyEngine(join(tempDir(), 'store'));
  const host = hostInThread(engine);
  const conn = host.connect();
  let deep: unknown = 1;
  for (let i = 0; i < 10_000; i++) deep = [deep];
  const reply = await Promise.race([conn.call('search', { question: 'wing', params: deep }), new Promise<'hang'>((r) => setTimeout(() => r('hang'), 20_000))]);
  assert.notEqual(reply, 'hang', 'the call is answered');
  assert.equal(reply !== 'hang' && !reply.ok && reply.error.code, 'invalid-payload');
  assert.equal((await conn.call('getSettings', {})).ok, true, 'the host carries on');
  conn.close();
  await host.shutdown();
  await engine.close();
});

test('a cancelled index run stops at the next file, says what it did, and the next run resumes', async () => {
  const engine = await tinyEngine(join(tempDir(), 'store'));
  const host = hostInThread(engine);
  const conn = host.connect();
  const docs = folderOf(150);
  const progress: IndexProgress[] = [];
  conn.on('onIndexProgress', (p) => progress.push(p as IndexProgress));
  const abort = new AbortController();
  const running = conn.call('reindex', { path: docs }, abort.signal);
  const end = Date.now() + 30_000;
  while (!progress.some((p) => p.filesDone >= 3) && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  abort.abort();
  const first = summaryOf(await running);
  assert.equal(first.cancelled, true);
  assert.ok(first.filesIndexed >= 3 && first.filesIndexed < 150, `stopped early (${first.filesIndexed} of 150)`);
  assert.equal(progress.at(-1)?.phase, 'cancelled');
  const second = summaryOf(await conn.call('reindex', { path: docs }));
  assert.equal(second.cancelled, undefined);
  assert.equal(second.filesUnchanged, first.filesIndexed, 'what the cancelled run indexed is kept');
  assert.equal(second.filesIndexed, 150 - first.filesIndexed);
  await host.shutdown();
  await engine.close();
});

test("the contract's cancel stops another connection's index run by its run id", async () => {
  const engine = await tinyEngine(join(tempDir(), 'store'));
  const host = hostInThread(engine);
  const a = host.connect();
  const b = host.connect();
  const docs = folderOf(150);
  let runId: string | null = null;
  b.on('onIndexProgress', (p) => { if ((p as IndexProgress).filesDone >= 2) runId ??= (p as IndexProgress).runId; });
  const running = a.call('reindex', { path: docs });
  const end = Date.now() + 30_000;
  while (!runId && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(await b.call('cancel', { requestId: runId! }), { ok: true, result: { cancelled: true } });
  assert.equal(summaryOf(await running).cancelled, true);
  assert.deepEqual(await b.call('cancel', { requestId: runId! }), { ok: true, result: { cancelled: false } }, 'nothing left to cancel');
  await host.shutdown();
  await engine.close();
});

test('closing the engine cancels a background index before it waits for it; nothing is lost', async () => {
  const store = join(tempDir(), 'store');
  const engine = await tinyEngine(store);
  const host = hostInThread(engine, { owned: true });
  const conn = host.connect();
  const docs = folderOf(300);
  let done = 0;
  conn.on('onIndexProgress', (p) => { done = (p as IndexProgress).filesDone; });
  // Adding a folder starts its index run in the background: no call is waiting on it, only the engine owns it.
  assert.equal((await conn.call('addFolder', { path: docs })).ok, true);
  const end = Date.now() + 30_000;
  while (done < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  await host.shutdown(60_000);
  const reopened = await tinyEngine(store);
  const status = await reopened.getStatus();
  assert.ok(status.documents > 0 && status.documents < 300, `the files indexed before the shutdown are kept (${status.documents})`);
  const rest = await reopened.reindex({ path: docs });
  assert.equal(rest.filesUnchanged, status.documents);
  assert.equal(rest.filesIndexed + rest.filesUnchanged, 300);
  await reopened.close();
});

test('an engine that cannot start says why, and every call gets that reason', async () => {
  const { port1, port2 } = new MessageChannel();
  hostEngine(fromNodePort(port1), async () => { throw new Error('the store is locked by another process'); });
  const client = createHostClient(fromNodePort(port2));
  const failed = await client.ready;
  assert.equal(failed?.code, 'engine-failed');
  assert.match(failed?.message ?? '', /store is locked/);
  const reply = await client.connect().call('getStatus', {});
  assert.equal(!reply.ok && reply.error.code, 'engine-failed');
  port1.close();
});

test('a call in flight when the engine process goes away ends with engine-stopped', async () => {
  const { port1, port2 } = new MessageChannel();
  hostEngine(fromNodePort(port1), async () => ({
    ...Object.fromEntries(['getStatus'].map((m) => [m, () => new Promise(() => {})])),
    subscribe: () => () => {},
    close: async () => {},
  }) as never);
  const client = createHostClient(fromNodePort(port2));
  assert.equal(await client.ready, null);
  const pending = client.connect().call('getStatus', {});
  await new Promise((r) => setTimeout(r, 50));
  port1.close();
  const reply = await pending;
  assert.equal(!reply.ok && reply.error.code, 'engine-stopped');
});

test('a search cancelled while it runs stops between its stages with a cancelled error', async () => {
  const engine = await tinyEngine(join(tempDir(), 'store'));
  const host = hostInThread(engine);
  const conn = host.connect();
  assert.equal((await conn.call('reindex', { path: folderOf(20) })).ok, true);
  const abort = new AbortController();
  const pending = conn.call('search', { question: 'wing chord' }, abort.signal);
  abort.abort();
  const reply = await pending;
  assert.equal(!reply.ok && reply.error.code, 'cancelled');
  const again = await conn.call('search', { question: 'wing chord' });
  assert.ok(again.ok && (again.result as { candidates: unknown[] }).candidates.length > 0, 'the next search runs normally');
  await host.shutdown();
  await engine.close();
});
