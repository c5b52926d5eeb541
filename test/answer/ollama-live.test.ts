// One round trip against a real Ollama at 127.0.0.1:11434, when one is running (never on CI machines here).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OllamaClient } from '../../core/answer/ollama.js';

const HOST = 'http://127.0.0.1:11434';

async function probe(): Promise<{ skip: string | false; model: string }> {
  try {
    const res = await fetch(`${HOST}/api/tags`, { signal: AbortSignal.timeout(1500) });
    const { models } = (await res.json()) as { models?: { name: string }[] };
    const model = models?.[0]?.name;
    return model ? { skip: false, model } : { skip: 'Ollama is running but has no model installed', model: '' };
  } catch {
    return { skip: `no Ollama server running at ${HOST}`, model: '' };
  }
}
const { skip, model } = await probe();

describe('OllamaClient against a real Ollama', { skip }, () => {
  it('lists models and streams a short answer with Ollama\'s counters', async () => {
    const client = new OllamaClient({ host: HOST });
    assert.ok((await client.listModels()).includes(model));
    const tokens: string[] = [];
    const res = await client.generate({
      system: 'Reply with one short sentence.', user: 'Say hello.', model, maxTokens: 16,
      firstTokenTimeoutMs: 120_000, signal: new AbortController().signal, onToken: (t) => tokens.push(t),
    });
    assert.equal(res.cancelled, false);
    assert.equal(res.text, tokens.join(''));
    assert.ok(res.outputTokens !== null && res.outputTokens > 0 && res.outputTokens <= 16);
    assert.ok(res.promptTokens !== null && res.promptTokens > 0);
    await client.close();
  });
});
