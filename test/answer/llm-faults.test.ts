// The LLM fault suite: each way an Ollama server can misbehave, produced on demand by the scripted fake over real
// HTTP, and what the user then gets from the answer stage. No fault may hang the answer, grow memory without bound,
// lose the sources or the text already streamed, or surface an internal message ("[object Object]").
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { generateAnswer, type AnswerRequest } from '../../core/answer/answer.js';
import { answerCharLimit } from '../../core/answer/backend.js';
import { MAX_LINE_CHARS } from '../../core/answer/ndjson-guard.js';
import { OllamaClient } from '../../core/answer/ollama.js';
import type { AnswerResult } from '../../core/contract/api.js';
import { DEFAULT_SETTINGS } from '../../core/contract/settings.js';
import { candidate, searchResult } from '../support/answer-fixtures.js';
import { FAKE_TOKENS, startFakeOllama, type FakeOllama } from '../support/fake-ollama.js';

const top = [candidate(1, 'Wings stall when the angle of attack is too high.'), candidate(2, 'Flaps raise lift at low speed.')];
const settings = { llmContextTokens: 4096, llmMaxAnswerTokens: 256, llmFirstTokenTimeoutMs: 5000, llmIdleTimeoutMs: 5000 };
/** Every case must end by itself well within this: a hang fails the test instead of blocking the suite. */
const HANG_GUARD = { timeout: 30_000 };

let fake: FakeOllama;
before(async () => {
  fake = await startFakeOllama({ models: ['llama3.2:latest'] });
});
after(() => fake.close());
beforeEach(() => {
  fake.script = { kind: 'normal' };
  fake.showDelayMs = 0;
  fake.requests.length = 0;
});

async function ask(over: Partial<AnswerRequest> = {}, client = new OllamaClient({ host: fake.url })): Promise<AnswerResult & { streamed: string }> {
  let streamed = '';
  const res = await generateAnswer({
    requestId: 'r1', question: 'Why do wings stall?', search: searchResult('Why do wings stall?', top), client, model: 'llama3.2',
    settings, signal: new AbortController().signal, onToken: (t) => (streamed += t), onTiming: () => {}, ...over,
  });
  await client.close();
  return { ...res, streamed };
}

/** What every fault shares: a result (not a throw) with the sources, one clear reason, and no internal wording. */
function assertFault(res: AnswerResult, code: string): void {
  assert.equal(res.status, 'unavailable');
  assert.equal(res.error?.code, code, res.error?.message);
  assert.ok(res.error!.message.length > 0 && (res.error!.action ?? '').length > 0);
  assert.doesNotMatch(`${res.error!.message} ${res.error!.action}`, /\[object Object\]|undefined|ResponseError|TypeError/);
  assert.deepEqual(res.sources.map((s) => s.chunkId), top.map((s) => s.chunkId));
  assert.equal(res.timings.at(-1)!.note, `unavailable: ${code}`);
}

async function hungUp(): Promise<boolean> {
  return (await fake.requests.at(-1)!.ended).clientAborted;
}

describe('LLM faults from a fake Ollama over HTTP', () => {
  it('the idle timeout is a setting with a default, validated like the first-token one', () => {
    assert.equal(DEFAULT_SETTINGS.llmIdleTimeoutMs, 30_000);
    assert.ok(DEFAULT_SETTINGS.llmFirstTokenTimeoutMs > 0);
  });

  it('stall before the first token: first-token-timeout, the request aborted', HANG_GUARD, async () => {
    fake.script = { kind: 'slow-first-token', delayMs: 120_000 };
    const res = await ask({ settings: { ...settings, llmFirstTokenTimeoutMs: 300 } });
    assertFault(res, 'first-token-timeout');
    assert.equal(res.text, '');
    assert.equal(await hungUp(), true);
  });

  it('stall after the first token: ended within the idle timeout, with the text so far and a clear reason', HANG_GUARD, async () => {
    fake.script = { kind: 'stall', after: 2 };
    const t0 = performance.now();
    const res = await ask({ settings: { ...settings, llmIdleTimeoutMs: 400 } });
    const ms = performance.now() - t0;
    assertFault(res, 'idle-timeout');
    assert.equal(res.text, FAKE_TOKENS.slice(0, 2).join(''));
    assert.equal(res.streamed, res.text);
    assert.match(res.error!.message, /stopped sending text for 400 ms .*incomplete/);
    assert.deepEqual(res.error!.params, { model: 'llama3.2', ms: 400 });
    assert.ok(ms >= 400, `ended after ${ms} ms, before the idle timeout`);
    assert.equal(await hungUp(), true);
  });

  it('tokens slower than the first-token timeout but within the idle timeout are not a stall', HANG_GUARD, async () => {
    fake.script = { kind: 'normal', delayMs: 150 };
    const res = await ask({ settings: { ...settings, llmFirstTokenTimeoutMs: 1000, llmIdleTimeoutMs: 1000 } });
    assert.equal(res.status, 'ok', res.error?.message);
    assert.equal(res.text, FAKE_TOKENS.join(''));
  });

  it('HTTP 401 with a JSON error object: the server\'s own words, and a hint about the proxy', async () => {
    fake.script = { kind: 'status', status: 401, error: '', body: JSON.stringify({ error: { message: 'invalid api key', type: 'auth' } }) };
    const res = await ask();
    assertFault(res, 'http-error');
    assert.match(res.error!.message, /HTTP 401: invalid api key$/);
    assert.match(res.error!.action!, /proxy/);
    assert.equal(res.error!.params?.status, 401);
  });

  it('HTTP 401 from a proxy\'s HTML page: its title, not the markup', async () => {
    const page = '<html><head><title>401 Authorization Required</title></head><body><h1>401</h1><hr>nginx</body></html>';
    fake.script = { kind: 'status', status: 401, error: '', body: page, contentType: 'text/html' };
    const res = await ask();
    assertFault(res, 'http-error');
    assert.match(res.error!.message, /HTTP 401: 401 Authorization Required$/);
  });

  it('a stream that ends without a word (or only blanks): empty-answer, never an empty "answer"', async () => {
    for (const tokens of [[], [' ', '\n\n']]) {
      fake.script = { kind: 'normal', tokens };
      const res = await ask();
      assertFault(res, 'empty-answer');
      assert.match(res.error!.message, /"llama3\.2" finished without writing an answer/);
    }
  });

  it('an {"error"} line after some tokens: Ollama stopped the answer, in its own words, with the text so far', async () => {
    fake.script = { kind: 'error-line', after: 3, message: 'llama runner process has terminated: signal: killed' };
    const res = await ask();
    assertFault(res, 'server-stopped-answer');
    assert.match(res.error!.message, /^Ollama stopped the answer with an error: llama runner process has terminated/);
    assert.equal(res.text, FAKE_TOKENS.slice(0, 3).join(''), 'the text streamed before it is kept');
  });

  it('HTTP 500: http-error with the server message', async () => {
    fake.script = { kind: 'status', status: 500, error: 'llama runner process has terminated: signal: killed' };
    const res = await ask();
    assertFault(res, 'http-error');
    assert.match(res.error!.message, /HTTP 500: llama runner process has terminated: signal: killed/);
  });

  it('garbage lines mid-stream: malformed-stream, never a silently shortened answer', async () => {
    fake.script = { kind: 'garbage-lines', after: 2, lines: ['\u0000\u00ff\u00fe binary', '<html>proxy error</html>', '[1, 2]'] };
    const res = await ask();
    assertFault(res, 'malformed-stream');
    assert.ok(FAKE_TOKENS.join('').startsWith(res.text), 'what was kept is a prefix of the real answer');
  });

  it('a 50 MB line: reply-too-large after about a megabyte, and the rest is never read', HANG_GUARD, async () => {
    fake.script = { kind: 'huge-line', after: 1, bytes: 50 << 20 };
    const res = await ask();
    assertFault(res, 'reply-too-large');
    assert.equal(await hungUp(), true);
    const sent = fake.requests.at(-1)!.sent.bytes;
    // The line bound plus what sockets buffer on the way; the whole line would be 50 MB.
    assert.ok(sent < MAX_LINE_CHARS + (8 << 20), `the server got to write ${sent} bytes`);
  });

  it('connection reset mid-stream: stream-broken with the text delivered before it', HANG_GUARD, async () => {
    let delivered!: () => void;
    fake.script = { kind: 'broken-mid-stream', after: 3, when: new Promise((r) => (delivered = r)) };
    let n = 0;
    const res = await ask({ onToken: () => { if (++n === 3) delivered(); } });
    assertFault(res, 'stream-broken');
    assert.equal(res.text, FAKE_TOKENS.slice(0, 3).join(''));
  });

  it('/api/show does not answer in time: server-timeout, not "not reachable"', HANG_GUARD, async () => {
    fake.showDelayMs = 120_000;
    const res = await ask({}, new OllamaClient({ host: fake.url, metadataTimeoutMs: 300 }));
    assertFault(res, 'server-timeout');
    assert.doesNotMatch(res.error!.message, /not reachable/);
    assert.match(res.error!.message, /did not answer within 0\.3 s \(looking up the model "llama3\.2"\)/);
    assert.equal(fake.chatRequests().length, 0);
  });

  it('a server that ignores the answer length is cut at the answer bound', HANG_GUARD, async () => {
    fake.script = { kind: 'endless' };
    const res = await ask({ settings: { ...settings, llmMaxAnswerTokens: 16 } });
    assertFault(res, 'answer-too-long');
    assert.ok(res.text.length > 0 && res.text.length <= answerCharLimit(16), `kept ${res.text.length} chars`);
    assert.equal(await hungUp(), true);
  });
});
