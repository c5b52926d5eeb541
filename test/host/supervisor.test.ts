// The supervisor on real engines over Node's MessageChannel: an engine that dies is replaced, open connections and
// their listeners move to the new one, the call cut short says so, and crash loops, engines that never started and
// shutdowns are not retried.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { test } from 'node:test';
import type { AppError } from '../../core/contract/api.js';
import { createHostClient, type HostClient } from '../../core/host/client.js';
import { hostEngine } from '../../core/host/engine-host.js';
import type { EngineService } from '../../core/host/dispatch.js';
import { fromNodePort } from '../../core/host/port.js';
import { superviseHost } from '../../core/host/supervisor.js';
import { tinyEngine } from '../support/engine.js';
import { tempDir } from '../support/temp.js';

/**
 * Starts hosts over MessageChannels; `crash(i)` closes the i-th host's end as a dying process would, and
 * `dispose()` closes every channel left open so the test process can exit.
 */
function hosts(engineOf: () => Promise<EngineService>) {
  const ends: MessagePort[] = [];
  const all: MessagePort[] = [];
  const start = (): HostClient => {
    const { port1, port2 } = new MessageChannel();
    ends.push(port1);
    all.push(port1, port2);
    hostEngine(fromNodePort(port1), engineOf);
    return createHostClient(fromNodePort(port2));
  };
  return { start, started: () => ends.length, crash: (i: number) => ends[i]!.close(), dispose: () => { for (const p of all) p.close(); } };
}

const stalled = (async () => ({
  getStatus: () => new Promise(() => {}),
  subscribe: () => () => {},
  close: async () => {},
})) as unknown as () => Promise<EngineService>;

test('a dead engine is replaced: the call in flight says so, the connection and its listeners carry on', async () => {
  const store = join(tempDir(), 'store');
  const docs = join(tempDir(), 'docs');
  mkdirSync(docs);
  writeFileSync(join(docs, 'wing.md'), '# Wing\n\nThe wing chord is 2 m and its span 9 m.\n');
  const engines: EngineService[] = [];
  const h = hosts(async () => {
    const engine = await tinyEngine(store);
    engines.push(engine);
    return engine;
  });
  const restarted: AppError[] = [];
  const host = superviseHost(h.start, { onRestart: (e) => restarted.push(e) });
  assert.equal(await host.ready, null);
  const conn = host.connect();
  const progress: unknown[] = [];
  conn.on('onIndexProgress', (p) => progress.push(p));
  // A call held by the first engine's queue: reindex of a folder, cut short by the crash.
  const inFlight = conn.call('reindex', { path: docs });
  h.crash(0);
  const reply = await inFlight;
  assert.equal(!reply.ok && reply.error.code, 'engine-restarted');
  assert.equal(h.started(), 2);
  assert.equal(host.restarts(), 1);
  assert.equal(restarted[0]?.code, 'engine-stopped');

  progress.length = 0;
  const again = await conn.call('reindex', { path: docs });
  assert.ok(again.ok, JSON.stringify(again));
  assert.ok(progress.length > 0, 'the listener registered before the crash hears the new engine');
  const status = await conn.call('getStatus', {});
  assert.ok(status.ok && (status.result as { documents: number }).documents === 1, JSON.stringify(status));
  await host.shutdown();
  for (const e of engines) await e.close();
  h.dispose();
});

test('a crash loop is given up after maxRestarts, with the engine error reported once', async () => {
  const h = hosts(stalled);
  const host = superviseHost(h.start, { maxRestarts: 2, windowMs: 60_000 });
  const stops: (AppError | null)[] = [];
  host.onStop((e) => stops.push(e));
  const conn = host.connect();
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const pending = conn.call('getStatus', {});
    await new Promise((r) => setTimeout(r, 50));
    h.crash(i);
    const reply = await pending;
    assert.equal(!reply.ok && reply.error.code, i < 2 ? 'engine-restarted' : 'engine-stopped', `crash ${i + 1}`);
  }
  assert.equal(h.started(), 3);
  assert.equal(host.restarts(), 2);
  assert.deepEqual(stops.map((e) => e?.code), ['engine-stopped']);
  const after = await conn.call('getStatus', {});
  assert.equal(!after.ok && after.error.code, 'engine-stopped');
  h.dispose();
});

test('an engine that never started is not restarted, and a shutdown is not a crash', async () => {
  const failing = hosts(async () => { throw new Error('the store is locked by another program'); });
  const broken = superviseHost(failing.start);
  const failed = await broken.ready;
  assert.equal(failed?.code, 'engine-failed');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(failing.started(), 1);

  const h = hosts(stalled);
  const host = superviseHost(h.start);
  assert.equal(await host.ready, null);
  const stops: (AppError | null)[] = [];
  host.onStop((e) => stops.push(e));
  await host.shutdown(1_000);
  assert.equal(h.started(), 1);
  assert.deepEqual(stops, [null]);
  failing.dispose();
  h.dispose();
});
