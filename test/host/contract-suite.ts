// One set of behaviour tests for every way a front end reaches the engine: the Electron window (preload -> main ->
// utility process, all real code over worker threads) and the browser tab (HTTP + SSE -> serve mode). Each target
// gives clients (a window or a tab) through the renderer's own transports; the engine behind is the real one.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AnswerResult, ApiTransport, IndexProgress } from '../../core/contract/api.js';
import { AppErrorException } from '../../core/contract/app-error.js';
import { FAKE_TOKENS, startFakeOllama, type FakeOllama } from '../support/fake-ollama.js';
import { TINY_MODELS } from '../support/models.js';
import { tempDir } from '../support/temp.js';

export interface ContractClient {
  api: ApiTransport;
  /** The window or the tab goes away. */
  close(): Promise<void>;
}

export interface ContractTarget {
  /** A new window or tab, ready to receive events. */
  client(): Promise<ContractClient>;
  teardown(): Promise<void>;
}

/** Rejections carry the AppError whole, whatever the transport. */
async function appErrorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AppErrorException, `an AppError, got ${String(err)}`);
    return err.appError;
  }
  assert.fail('the call should have failed');
}

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

export function contractSuite(name: string, start: (storeDir: string) => Promise<ContractTarget>): void {
  describe(`${name}: the engine contract`, () => {
    let target: ContractTarget;
    let fake: FakeOllama;
    let main: ContractClient;
    let docs: string;

    before(async () => {
      const dir = tempDir('localrag-contract-');
      docs = join(dir, 'docs');
      mkdirSync(docs);
      for (const [file, text] of [['wings.md', '# Wings\n\nThe boundary layer on a swept wing thickens towards the tip.\n'], ['engines.md', '# Engines\n\nA turbofan moves a large mass of air slowly.\n']]) {
        writeFileSync(join(docs, file), text);
      }
      fake = await startFakeOllama({ models: ['llama3.2:latest'] });
      target = await start(join(dir, 'store'));
      main = await target.client();
      await main.api.call('updateSettings', { ...TINY_MODELS, executionProvider: 'cpu', llmBackend: 'ollama', ollamaHost: fake.url, ollamaModel: 'llama3.2:latest' });
    });
    after(async () => {
      await target?.teardown();
      await fake?.close();
    });

    test('status and settings come back through the host', async () => {
      const status = await main.api.call('getStatus', {});
      assert.ok(Array.isArray(status.folders));
      assert.equal((await main.api.call('getSettings', {})).embedderModel, TINY_MODELS.embedderModel);
    });

    test('a request that breaks the contract is refused by the engine process, naming the field', async () => {
      const bad = await appErrorOf(main.api.call('search', { question: 42 } as never));
      assert.equal(bad.code, 'invalid-request');
      assert.match(bad.message, /question/);
      assert.equal((await appErrorOf(main.api.call('dropEverything' as never, {} as never))).code, 'unknown-method');
      assert.equal((await appErrorOf(main.api.call('getPassage', { chunkId: 1, sql: 'drop table' } as never))).code, 'invalid-request');
      const missing = await appErrorOf(main.api.call('addFolder', { path: join(docs, 'no-such-folder') }));
      assert.equal(missing.code, 'not-a-folder');
    });

    test('indexing reports its progress and the text becomes searchable', async () => {
      const phases: string[] = [];
      const off = main.api.on('onIndexProgress', (p: IndexProgress) => phases.push(p.phase));
      await main.api.call('addFolder', { path: docs });
      await until('indexing to finish', () => phases.includes('done'));
      off();
      const result = await main.api.call('search', { question: 'boundary layer swept wing' });
      assert.ok(result.candidates.some((c) => c.path.endsWith('wings.md')));
    });

    test('an answer streams to the window that asked, and to no other', async () => {
      fake.script = { kind: 'normal' };
      const other = await target.client();
      const mine: string[] = [];
      const theirs: string[] = [];
      const offMine = main.api.on('onAnswerToken', (e) => mine.push(e.token));
      const offTheirs = other.api.on('onAnswerToken', (e) => theirs.push(e.token));
      const result = await main.api.call('ask', { requestId: 'contract-stream', question: 'What happens to the boundary layer?' });
      assert.equal(result.status, 'ok');
      await until('the last token', () => mine.join('') === FAKE_TOKENS.join(''));
      assert.deepEqual(theirs, []);
      offMine();
      offTheirs();
      await other.close();
    });

    test('cancel stops an answer and keeps what was written, with its sources', async () => {
      fake.script = { kind: 'stall', after: 2 };
      const tokens: string[] = [];
      const off = main.api.on('onAnswerToken', (e) => tokens.push(e.token));
      const asked = main.api.call('ask', { requestId: 'contract-cancel', question: 'What does a turbofan do?' });
      await until('two tokens', () => tokens.length === 2);
      assert.deepEqual(await main.api.call('cancel', { requestId: 'contract-cancel' }), { cancelled: true });
      const result: AnswerResult = await asked;
      off();
      assert.equal(result.status, 'cancelled');
      assert.equal(result.text, FAKE_TOKENS.slice(0, 2).join(''));
      assert.ok(result.sources.length > 0, 'the sources found before the cancel are kept');
      assert.equal((await fake.chatRequests().at(-1)!.ended).clientAborted, true, 'the LLM request was aborted');
    });

    test('closing the window or tab cancels the answer it started', async () => {
      fake.script = { kind: 'stall', after: 1 };
      const leaving = await target.client();
      const tokens: string[] = [];
      leaving.api.on('onAnswerToken', (e) => tokens.push(e.token));
      const asked = leaving.api.call('ask', { requestId: 'contract-close', question: 'What does a turbofan move?' }).catch(() => null);
      await until('the first token', () => tokens.length === 1);
      await leaving.close();
      assert.equal((await fake.chatRequests().at(-1)!.ended).clientAborted, true, 'the LLM request was aborted');
      await until('the history row to end', async () => {
        const row = (await main.api.call('history', {})).find((h) => h.requestId === 'contract-close');
        return row?.status === 'cancelled';
      });
      await asked;
    });
  });
}
