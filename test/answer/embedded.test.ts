// The embedded backend running a real (tiny) GGUF model in-process: stories260K writes nonsense, but real tokens.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LlmError, type GenerateRequest } from '../../core/answer/backend.js';
import { EmbeddedClient } from '../../core/answer/embedded.js';
import { sharedDir, tempDir } from '../support/temp.js';

const MODEL = join(sharedDir, 'models', 'llm', 'stories260K.gguf');
const skip = existsSync(MODEL) ? false : `shared model missing: ${MODEL}`;

function request(over: Partial<GenerateRequest> = {}): GenerateRequest & { tokens: string[] } {
  const tokens: string[] = [];
  return {
    system: 'Answer from the passages.', user: 'Passages:\n\n[1] story.txt\nLily had a red ball.\n\nQuestion: What did Lily have?',
    model: MODEL, maxTokens: 24, firstTokenTimeoutMs: 30_000, signal: new AbortController().signal,
    onToken: (t) => tokens.push(t), tokens, ...over,
  };
}

describe('EmbeddedClient with stories260K.gguf', { skip }, () => {
  // One thread: llama.cpp's spinning threads crawl when the (shared, 2-core) test machine is busy.
  const client = new EmbeddedClient({ modelPath: MODEL, threads: 1 });
  before(async () => {
    await client.modelInfo(MODEL);
  });
  after(() => client.close());

  it('reports the model\'s trained context and counts with its tokenizer', async () => {
    const info = await client.modelInfo(MODEL);
    assert.ok(info.contextTokens !== null && info.contextTokens >= 256, `context ${info.contextTokens}`);
    // Llama's SentencePiece vocabulary has whole-word pieces: far fewer tokens than characters.
    const n = client.countTokens('Once upon a time there was a little girl');
    assert.ok(n > 0 && n < 20, `tokens ${n}`);
    assert.notEqual(n, Math.ceil('Once upon a time there was a little girl'.length / 3));
  });

  it('streams real tokens with counts and timings', async () => {
    const req = request();
    const res = await client.generate(req);
    assert.equal(res.cancelled, false);
    assert.ok(req.tokens.length > 1, 'more than one chunk streamed');
    assert.equal(res.text, req.tokens.join(''));
    assert.ok(res.text.trim().length > 0);
    assert.ok(res.outputTokens !== null && res.outputTokens > 0 && res.outputTokens <= 24, `output ${res.outputTokens}`);
    assert.ok(res.promptTokens !== null && res.promptTokens >= client.countTokens(req.user), `prompt ${res.promptTokens}`);
    assert.ok(res.firstTokenMs !== null && res.firstTokenMs >= 0 && res.firstTokenMs <= res.totalMs);
    assert.ok(res.tokensPerSecond === null || res.tokensPerSecond > 0);
  });

  it('cancel mid-way stops generation and keeps the partial text', async () => {
    const ctl = new AbortController();
    const req = request({ maxTokens: 200, signal: ctl.signal });
    const res = await client.generate({ ...req, onToken: (t) => {
      req.tokens.push(t);
      if (req.tokens.length === 3) ctl.abort();
    } });
    assert.equal(res.cancelled, true);
    assert.ok(req.tokens.length >= 3 && req.tokens.length < 200, `tokens after cancel ${req.tokens.length}`);
    assert.equal(res.text, req.tokens.join(''));
    assert.ok(res.outputTokens !== null && res.outputTokens < 200);
  });

  it('no first token in time is first-token-timeout', async () => {
    // 1 ms cannot cover evaluating a ~100-token prompt, even on this tiny model.
    const req = request({ user: 'word '.repeat(100), firstTokenTimeoutMs: 1 });
    await assert.rejects(client.generate(req), (e: unknown) => e instanceof LlmError && e.code === 'first-token-timeout');
    assert.deepEqual(req.tokens, []);
  });

  it('the same watchdog as Ollama\'s: more text than allowed is answer-too-long, and the next answer still comes', async () => {
    const req = request({ maxTokens: 64, maxChars: 12 });
    const err = await client.generate(req).then(() => assert.fail('expected answer-too-long'), (e: unknown) => e);
    assert.ok(err instanceof LlmError && err.code === 'answer-too-long', String(err));
    assert.ok(req.tokens.join('').length <= 12 && req.tokens.length > 0, `kept ${JSON.stringify(req.tokens.join(''))}`);
    const next = await client.generate(request({ maxTokens: 8 }));
    assert.equal(next.cancelled, false);
    assert.ok(next.text.length > 0);
  });

  it('a steady answer never trips the between-token timeout', async () => {
    const req = request({ maxTokens: 24, idleTimeoutMs: 1000 });
    const res = await client.generate(req);
    assert.equal(res.cancelled, false);
    assert.equal(res.text, req.tokens.join(''));
  });

  it('concurrent requests take turns on the one context and both answer', async () => {
    const [a, b] = await Promise.all([client.generate(request({ maxTokens: 8 })), client.generate(request({ maxTokens: 8 }))]);
    assert.equal(a.cancelled, false);
    assert.equal(b.cancelled, false);
    assert.ok(a.text.length > 0 && b.text.length > 0);
  });

  it('the chat-session path streams too (forced: this file has no chat template)', async () => {
    const chat = new EmbeddedClient({ modelPath: MODEL, threads: 1, promptStyle: 'chat' });
    try {
      const req = request({ maxTokens: 12 });
      const res = await chat.generate(req);
      assert.equal(res.cancelled, false);
      assert.ok(req.tokens.length > 0);
      assert.equal(res.text, req.tokens.join(''));
      assert.ok(res.outputTokens !== null && res.outputTokens > 0 && res.outputTokens <= 12);
    } finally {
      await chat.close();
    }
    // closing one client leaves another's llama.cpp instance working
    assert.ok((await client.generate(request({ maxTokens: 4 }))).text.length > 0);
  });

  it('a missing file is model-missing, a corrupt one load-failed', async (t) => {
    await assert.rejects(client.generate(request({ model: '/nowhere/none.gguf' })), (e: unknown) => e instanceof LlmError && e.code === 'model-missing');
    const bad = join(tempDir(), 'bad.gguf');
    writeFileSync(bad, 'not a gguf file at all');
    await assert.rejects(client.generate(request({ model: bad })), (e: unknown) => e instanceof LlmError && e.code === 'load-failed');
  });

  it('no model at all is model-missing', async () => {
    await assert.rejects(new EmbeddedClient().generate(request({ model: '' })), (e: unknown) => e instanceof LlmError && e.code === 'model-missing');
  });

  it('listModels offers the configured file and the GGUF files of a folder', async (t) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.gguf'), '');
    writeFileSync(join(dir, 'notes.txt'), '');
    const listed = await new EmbeddedClient({ modelPath: MODEL, modelsDir: dir }).listModels();
    assert.deepEqual(listed, [MODEL, join(dir, 'x.gguf')].sort());
  });
});
