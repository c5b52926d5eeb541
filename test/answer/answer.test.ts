// generateAnswer end to end with real backends: the fake Ollama server over HTTP and stories260K in-process.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { generateAnswer, type AnswerRequest } from '../../core/answer/answer.js';
import { EmbeddedClient } from '../../core/answer/embedded.js';
import { OllamaClient } from '../../core/answer/ollama.js';
import type { StageTiming } from '../../core/contract/api.js';
import { DEFAULT_SETTINGS } from '../../core/contract/settings.js';
import { candidate, searchResult } from '../support/answer-fixtures.js';
import { FAKE_TOKENS, startFakeOllama, type FakeOllama } from '../support/fake-ollama.js';
import { sharedDir } from '../support/temp.js';

const searchTimings: StageTiming[] = [
  { stage: 'embedQuery', ms: 5, startMs: 0 },
  { stage: 'faiss', ms: 2, startMs: 5 },
  { stage: 'fusion', ms: 1, startMs: 40 },
];
const top = [
  candidate(1, 'Wings stall when the angle of attack is too high.', { path: '/d/aero.pdf', page: 2 }),
  candidate(2, 'Flaps raise lift at low speed.'),
];
const settings = { llmContextTokens: 4096, llmMaxAnswerTokens: 256, llmFirstTokenTimeoutMs: 5000, llmIdleTimeoutMs: 5000 };

function ask(over: Partial<AnswerRequest> & Pick<AnswerRequest, 'client' | 'model'>) {
  const tokens: string[] = [];
  const timings: StageTiming[] = [];
  const req: AnswerRequest = {
    requestId: 'r1', question: 'Why do wings stall?', search: searchResult('Why do wings stall?', top, searchTimings),
    settings, signal: new AbortController().signal, onToken: (t) => tokens.push(t), onTiming: (t) => timings.push(t), ...over,
  };
  return { req, tokens, timings, run: () => generateAnswer(req) };
}

describe('generateAnswer with Ollama (fake server)', () => {
  let fake: FakeOllama;
  let client: OllamaClient;
  before(async () => {
    fake = await startFakeOllama({ models: ['llama3.2:latest'] });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.script = { kind: 'normal' };
    fake.requests.length = 0;
    client = new OllamaClient({ host: fake.url });
  });

  it('streams the answer, links citations, and joins its timings to the search waterfall', async () => {
    const a = ask({ client, model: 'llama3.2' });
    const res = await a.run();
    assert.equal(res.status, 'ok');
    assert.equal(res.text, FAKE_TOKENS.join(''));
    assert.deepEqual(a.tokens, FAKE_TOKENS);
    assert.deepEqual(res.citations, [{ n: 1, chunkId: top[0]!.chunkId, valid: true }]);
    assert.deepEqual(res.sources.map((s) => s.chunkId), top.map((s) => s.chunkId));
    assert.deepEqual(res.dropped, []);
    assert.equal(res.error, undefined);

    assert.deepEqual(a.timings.map((t) => t.stage), ['prompt', 'llmFirstToken', 'llmTotal']);
    assert.deepEqual(res.timings.map((t) => t.stage), ['embedQuery', 'faiss', 'fusion', 'prompt', 'llmFirstToken', 'llmTotal']);
    for (const t of a.timings) {
      assert.equal(t.provider, 'ollama');
      assert.equal(t.model, 'llama3.2');
    }
    assert.equal(a.timings[0]!.startMs, 41, 'the answer starts where the search ended (40 + 1)');
    assert.equal(a.timings.at(-1)!.tokens, FAKE_TOKENS.length);
    assert.equal(res.llm?.backend, 'ollama');
    assert.equal(res.llm?.outputTokens, FAKE_TOKENS.length);
    assert.ok(res.llm?.tokensPerSecond && res.llm.tokensPerSecond > 0);

    // the prompt fitted to min(setting 4096, model 8192) and the answer budget were sent along
    const body = fake.chatRequests()[0]!.body as { options: Record<string, number>; messages: { content: string }[] };
    assert.deepEqual(body.options, { num_predict: 256, num_ctx: 4096 });
    assert.match(body.messages[1]!.content, /\[1\] aero\.pdf, page 2\nWings stall/);
  });

  it('a Japanese question sends the Japanese instruction', async () => {
    await ask({ client, model: 'llama3.2', question: '翼はなぜ失速しますか？' }).run();
    const body = fake.chatRequests()[0]!.body as { messages: { role: string; content: string }[] };
    assert.match(body.messages[0]!.content, /Answer in Japanese/);
  });

  it('flags a cited number that matches no source', async () => {
    fake.script = { kind: 'normal', tokens: ['See', ' [2]', ' and', ' [9].'] };
    const res = await ask({ client, model: 'llama3.2' }).run();
    assert.deepEqual(res.citations, [{ n: 2, chunkId: top[1]!.chunkId, valid: true }, { n: 9, chunkId: null, valid: false }]);
  });

  it('passages that do not fit are dropped from the end and reported', async () => {
    const long = (i: number) => candidate(i, `passage ${i} `.repeat(120));
    const many = [1, 2, 3, 4, 5].map(long);
    const res = await ask({
      client, model: 'llama3.2', settings: { ...settings, llmContextTokens: 1024, llmMaxAnswerTokens: 128 },
      search: searchResult('q', many, searchTimings),
    }).run();
    assert.equal(res.status, 'ok');
    assert.ok(res.dropped.length > 0 && res.dropped.length < 5, `dropped ${res.dropped}`);
    const kept = res.sources.length;
    assert.deepEqual(res.sources.map((s) => s.chunkId), many.slice(0, kept).map((s) => s.chunkId));
    assert.deepEqual(res.dropped, [1, 2, 3, 4, 5].slice(kept));
    const prompt = res.timings.find((t) => t.stage === 'prompt')!;
    assert.match(prompt.note ?? '', /did not fit/);
  });

  it('Ollama not running: status unavailable with the error, the sources still there, no throw', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    const res = await ask({ client: new OllamaClient({ host: `http://127.0.0.1:${port}` }), model: 'llama3.2' }).run();
    assert.equal(res.status, 'unavailable');
    assert.equal(res.error?.code, 'server-unreachable');
    assert.match(res.error?.action ?? '', /ollama serve/);
    assert.deepEqual(res.sources.map((x) => x.chunkId), top.map((x) => x.chunkId));
    assert.equal(res.text, '');
    assert.equal(res.llm, null);
    assert.equal(res.timings.at(-1)!.note, 'unavailable: server-unreachable');
  });

  it('model missing: unavailable with `ollama pull`', async () => {
    const res = await ask({ client, model: 'mistral' }).run();
    assert.equal(res.status, 'unavailable');
    assert.equal(res.error?.code, 'model-missing');
    assert.match(res.error?.action ?? '', /ollama pull mistral/);
  });

  it('a stream broken mid-way keeps the partial text and its citations', async () => {
    let delivered!: () => void;
    fake.script = { kind: 'broken-mid-stream', after: 2, tokens: ['Yes', ' [1]', ' and', ' more'], when: new Promise((r) => (delivered = r)) };
    const a = ask({ client, model: 'llama3.2', onToken: (t) => {
      a.tokens.push(t);
      if (a.tokens.length === 2) delivered();
    } });
    const res = await a.run();
    assert.equal(res.status, 'unavailable');
    assert.equal(res.error?.code, 'stream-broken');
    assert.equal(res.text, 'Yes [1]');
    assert.deepEqual(res.citations.map((c) => c.n), [1]);
  });

  it('cancel: status cancelled with the partial text, and the server sees the connection close', async () => {
    fake.script = { kind: 'stall', after: 3 };
    const ctl = new AbortController();
    const a = ask({ client, model: 'llama3.2', signal: ctl.signal, onToken: (t) => {
      a.tokens.push(t);
      if (a.tokens.length === 3) ctl.abort();
    } });
    const res = await a.run();
    assert.equal(res.status, 'cancelled');
    assert.equal(res.text, FAKE_TOKENS.slice(0, 3).join(''));
    assert.equal(res.timings.at(-1)!.note, 'cancelled');
    assert.equal((await fake.chatRequests()[0]!.ended).clientAborted, true);
  });
});

const MODEL = join(sharedDir, 'models', 'llm', 'stories260K.gguf');

describe('generateAnswer with the embedded backend (stories260K.gguf)', { skip: existsSync(MODEL) ? false : `shared model missing: ${MODEL}` }, () => {
  const client = new EmbeddedClient({ modelPath: MODEL, threads: 1 });
  after(() => client.close());

  it('fits the prompt to the model\'s own context, not the larger setting, and answers', async () => {
    const trained = (await client.modelInfo(MODEL)).contextTokens!;
    // ten passages of ~300 tokens: more than the model's window holds
    const many = Array.from({ length: 10 }, (_, i) => candidate(i + 1, 'Once upon a time there was a little girl named Lily. '.repeat(25)));
    const a = ask({
      client, model: MODEL, search: searchResult('What did Lily do?', many, searchTimings),
      settings: { ...DEFAULT_SETTINGS, llmContextTokens: trained * 4, llmMaxAnswerTokens: 32 },
    });
    const res = await a.run();
    assert.equal(res.status, 'ok', res.error?.message);
    assert.ok(res.text.length > 0);
    assert.equal(res.text, a.tokens.join(''));
    assert.ok(res.dropped.length > 0, 'some passages dropped');
    assert.ok(res.sources.length > 0, 'some passages kept');
    // the backend's own count of what it evaluated, plus the answer, fit in the trained window
    assert.ok(res.llm!.promptTokens! + 32 <= trained, `prompt ${res.llm!.promptTokens} + 32 > ${trained}`);
    assert.ok(res.llm!.outputTokens! > 0 && res.llm!.outputTokens! <= 32);
    assert.deepEqual(a.timings.map((t) => [t.stage, t.provider]), [['prompt', 'embedded'], ['llmFirstToken', 'embedded'], ['llmTotal', 'embedded']]);
  });
});
