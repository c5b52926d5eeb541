// The Ollama backend against a real HTTP server that speaks Ollama's API, one fault per case.
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { LlmError, type GenerateRequest } from '../../core/answer/backend.js';
import { OllamaClient } from '../../core/answer/ollama.js';
import { FAKE_CONTEXT_LENGTH, FAKE_EVAL_DURATION_NS, FAKE_TOKENS, startFakeOllama, type FakeOllama } from '../support/fake-ollama.js';
import { closedPort } from '../support/ports.js';

let fake: FakeOllama;
let client: OllamaClient;

before(async () => {
  fake = await startFakeOllama({ models: ['llama3.2:latest', 'qwen2.5:0.5b'] });
});
after(async () => {
  await client?.close();
  await fake.close();
});
beforeEach(() => {
  fake.script = { kind: 'normal' };
  fake.requests.length = 0;
  client = new OllamaClient({ host: fake.url });
});

function request(over: Partial<GenerateRequest> = {}): GenerateRequest & { tokens: string[] } {
  const tokens: string[] = [];
  return {
    system: 'Answer from the passages.', user: 'Passages:\n\n[1] a.txt\nWings stall.\n\nQuestion: why?',
    model: 'llama3.2', maxTokens: 64, contextTokens: 4096, firstTokenTimeoutMs: 5000,
    signal: new AbortController().signal, onToken: (t) => tokens.push(t), tokens, ...over,
  };
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<LlmError> {
  const err = await p.then(() => assert.fail(`expected LlmError ${code}, got a result`), (e: unknown) => e);
  assert.ok(err instanceof LlmError, `expected LlmError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.ok(err.message.length > 0 && err.action.length > 0);
  return err;
}


describe('OllamaClient against the fake server', () => {
  it('streams tokens in order and reports Ollama\'s own counters', async () => {
    const req = request();
    const res = await client.generate(req);
    assert.deepEqual(req.tokens, FAKE_TOKENS);
    assert.equal(res.text, FAKE_TOKENS.join(''));
    assert.equal(res.cancelled, false);
    assert.equal(res.outputTokens, FAKE_TOKENS.length);
    assert.equal(res.tokensPerSecond, FAKE_TOKENS.length / (FAKE_EVAL_DURATION_NS / 1e9));
    assert.ok(res.promptTokens !== null && res.promptTokens > 0);
    assert.ok(res.firstTokenMs !== null && res.firstTokenMs <= res.totalMs);

    const [chat] = fake.chatRequests();
    const body = chat!.body as { model: string; stream: boolean; messages: { role: string; content: string }[]; options: Record<string, number> };
    assert.equal(body.model, 'llama3.2');
    assert.equal(body.stream, true);
    assert.deepEqual(body.messages.map((m) => m.role), ['system', 'user']);
    assert.equal(body.messages[1]!.content, req.user);
    assert.deepEqual(body.options, { num_predict: 64, num_ctx: 4096 });
  });

  it('lists installed models from /api/tags', async () => {
    assert.deepEqual(await client.listModels(), ['llama3.2:latest', 'qwen2.5:0.5b']);
  });

  it('reads the context length from /api/show', async () => {
    assert.deepEqual(await client.modelInfo('llama3.2'), { contextTokens: FAKE_CONTEXT_LENGTH });
  });

  it('connection refused is server-unreachable with `ollama serve`', async () => {
    const dead = new OllamaClient({ host: `http://127.0.0.1:${await closedPort()}` });
    const err = await rejectsWith(dead.generate(request()), 'server-unreachable');
    assert.match(err.action, /ollama serve/);
    await rejectsWith(dead.listModels(), 'server-unreachable');
  });

  it('a model Ollama does not have is model-missing with `ollama pull <name>` (404 body)', async () => {
    const err = await rejectsWith(client.generate(request({ model: 'mistral' })), 'model-missing');
    assert.match(err.action, /ollama pull mistral/);
    assert.match(err.message, /mistral/);
    await rejectsWith(client.modelInfo('mistral'), 'model-missing');
  });

  it('no model chosen is model-missing without a request', async () => {
    await rejectsWith(client.generate(request({ model: '' })), 'model-missing');
    assert.equal(fake.chatRequests().length, 0);
  });

  it('HTTP 500 is http-error carrying the server message', async () => {
    fake.script = { kind: 'status', status: 500, error: 'llama runner process has terminated' };
    const err = await rejectsWith(client.generate(request()), 'http-error');
    assert.match(err.message, /500/);
    assert.match(err.message, /runner process has terminated/);
  });

  it('a socket reset mid-stream is stream-broken, after the tokens before it were delivered', async () => {
    let delivered!: () => void;
    fake.script = { kind: 'broken-mid-stream', after: 3, when: new Promise((r) => (delivered = r)) };
    const req = request();
    const onToken = (t: string) => {
      req.tokens.push(t);
      if (req.tokens.length === 3) delivered();
    };
    await rejectsWith(client.generate({ ...req, onToken }), 'stream-broken');
    assert.deepEqual(req.tokens, FAKE_TOKENS.slice(0, 3));
  });

  it('a stream that ends without done is stream-broken, not a silent short answer', async () => {
    fake.script = { kind: 'no-done' };
    await rejectsWith(client.generate(request()), 'stream-broken');
  });

  it('a line that is not JSON is malformed-stream (the client alone would skip it)', async () => {
    fake.script = { kind: 'malformed-line', after: 2 };
    await rejectsWith(client.generate(request()), 'malformed-stream');
  });

  it('a server on the port that is not Ollama (HTML replies) is malformed-stream', async (t) => {
    const html = createHttpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html>\n<html><body>router login</body></html>\n');
    });
    await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
    t.after(() => html.close());
    const stranger = new OllamaClient({ host: `http://127.0.0.1:${(html.address() as { port: number }).port}` });
    await rejectsWith(stranger.generate(request()), 'malformed-stream');
    await rejectsWith(stranger.listModels(), 'malformed-stream');
  });

  it('an {"error"} line before any token is load-failed with the server reason', async () => {
    fake.script = { kind: 'error-line', message: 'model requires more system memory (9 GiB) than is available' };
    const err = await rejectsWith(client.generate(request()), 'load-failed');
    assert.match(err.message, /more system memory/);
  });

  it('a slow first token is first-token-timeout and the request is really aborted', async () => {
    fake.script = { kind: 'slow-first-token', delayMs: 60_000 };
    await rejectsWith(client.generate(request({ firstTokenTimeoutMs: 300 })), 'first-token-timeout');
    const ended = await fake.chatRequests()[0]!.ended;
    assert.equal(ended.clientAborted, true);
  });

  it('cancel mid-stream returns the partial text and the server sees the connection close', async () => {
    fake.script = { kind: 'stall', after: 2 };
    const ctl = new AbortController();
    const req = request({ signal: ctl.signal });
    const running = client.generate({ ...req, onToken: (t) => {
      req.tokens.push(t);
      if (req.tokens.length === 2) ctl.abort();
    } });
    const res = await running;
    assert.equal(res.cancelled, true);
    assert.equal(res.text, FAKE_TOKENS.slice(0, 2).join(''));
    assert.equal(res.outputTokens, null);
    assert.equal((await fake.chatRequests()[0]!.ended).clientAborted, true);
  });

  it('a signal aborted before the start sends nothing', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const res = await client.generate(request({ signal: ctl.signal }));
    assert.equal(res.cancelled, true);
    assert.equal(fake.chatRequests().length, 0);
  });

  it('close() stops a running request', async () => {
    fake.script = { kind: 'stall', after: 1 };
    const req = request();
    const running = client.generate({ ...req, onToken: () => void client.close() });
    assert.equal((await running).cancelled, true);
    assert.equal((await fake.chatRequests()[0]!.ended).clientAborted, true);
  });

  it('pullModel reports progress and the model is then listed', async () => {
    const seen: { status: string; completed: number | null; total: number | null }[] = [];
    await client.pullModel('phi3:mini', (p) => seen.push(p));
    assert.equal(seen[0]!.status, 'pulling manifest');
    assert.equal(seen.at(-1)!.status, 'success');
    assert.ok(seen.some((p) => p.total === 1000 && p.completed === 500));
    assert.ok((await client.listModels()).includes('phi3:mini'));
  });

  it('a failed pull is an LlmError with the server reason', async () => {
    const err = await rejectsWith(client.pullModel('missing-model', () => {}), 'model-missing');
    assert.match(err.message, /file does not exist/);
  });
});
