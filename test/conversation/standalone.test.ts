// Follow-up questions made standalone: the key-terms fallback (English and Japanese), the cleaning of an LLM's
// reply, and the whole rewrite against the fake Ollama over HTTP, including an LLM that is down or too slow.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OllamaClient } from '../../core/answer/ollama.js';
import { cleanRewrite, keyTerms, rewritePrompt, toStandalone, withKeyTerms, type PriorTurn } from '../../core/conversation/standalone.js';
import { closedPort } from '../support/ports.js';
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama.js';

const prior: PriorTurn[] = [{ question: 'When does the wing flutter?', standaloneQuestion: 'When does the wing flutter?', answer: 'Flutter appears near Mach one [1].' }];

test('key terms drop function words and repeats, keep numbers, and work on Japanese text', () => {
  assert.deepEqual(keyTerms('When does the wing flutter at Mach 2 and the wing stall?'), ['wing', 'flutter', 'Mach', '2', 'stall']);
  assert.deepEqual(keyTerms('超音速の翼のフラッターはどこで起きますか'), ['超音速', '翼', 'フラッター', '起']);
});

test('the fallback adds only the previous key terms the follow-up lacks', () => {
  assert.equal(withKeyTerms('And at Mach 2?', 'When does the wing flutter?'), 'And at Mach 2? (wing flutter)');
  assert.equal(withKeyTerms('Does the wing flutter at Mach 2?', 'When does the wing flutter?'), 'Does the wing flutter at Mach 2?');
});

test("an LLM's reply is reduced to one clean question, or refused", () => {
  assert.equal(cleanRewrite('Standalone question: "Does the wing flutter at Mach 2?"\nBecause…', 'And at Mach 2?'), 'Does the wing flutter at Mach 2?');
  assert.equal(cleanRewrite('「翼はマッハ2でフラッターしますか」', 'マッハ2では？'), '翼はマッハ2でフラッターしますか');
  assert.equal(cleanRewrite('Flutter appears near Mach one [1].', 'x'), 'Flutter appears near Mach one .');
  assert.equal(cleanRewrite('\n  \n', 'And at Mach 2?'), null);
  assert.equal(cleanRewrite('x'.repeat(1000), 'And at Mach 2?'), null, 'an essay is not a question');
});

test('the rewrite prompt carries the last turns and the follow-up', () => {
  const { system, user } = rewritePrompt('And at Mach 2?', prior);
  assert.match(system, /rewrite a follow-up question/);
  assert.match(user, /Q: When does the wing flutter\?\nA: Flutter appears near Mach one \[1\]\./);
  assert.match(user, /Follow-up question: And at Mach 2\?\n\nStandalone question:$/);
});

describe('toStandalone', () => {
  let fake: FakeOllama;
  let client: OllamaClient;
  before(async () => {
    fake = await startFakeOllama({ models: ['llama3.2:latest'] });
    client = new OllamaClient({ host: fake.url });
  });
  after(async () => {
    await client.close();
    await fake.close();
  });
  const llm = (over: Partial<{ timeoutMs: number }> = {}) => ({ client, model: 'llama3.2', timeoutMs: 5000, signal: new AbortController().signal, ...over });

  test('a first question is used as it is, without asking the LLM', async () => {
    const before = fake.chatRequests().length;
    assert.deepEqual(await toStandalone(' When does the wing flutter? ', [], llm()), { question: 'When does the wing flutter?', method: 'first-question' });
    assert.equal(fake.chatRequests().length, before);
  });

  test('with an LLM, the follow-up is rewritten by it', async () => {
    fake.script = { kind: 'normal', tokens: ['Does the wing', ' flutter at Mach 2?'] };
    const r = await toStandalone('And at Mach 2?', prior, llm());
    assert.deepEqual(r, { question: 'Does the wing flutter at Mach 2?', method: 'llm' });
    const sent = fake.chatRequests().at(-1)!.body as { messages: { content: string }[] };
    assert.match(sent.messages.at(-1)!.content, /Follow-up question: And at Mach 2\?/);
  });

  test('without an LLM, or with one that is down or too slow, the key terms are added', async () => {
    assert.deepEqual(await toStandalone('And at Mach 2?', prior, null), { question: 'And at Mach 2? (wing flutter)', method: 'key-terms' });
    const down = new OllamaClient({ host: `http://127.0.0.1:${await closedPort()}` });
    const r = await toStandalone('And at Mach 2?', prior, { ...llm(), client: down });
    assert.equal(r.question, 'And at Mach 2? (wing flutter)');
    assert.equal(r.llmError?.code, 'server-unreachable');
    await down.close();
    fake.script = { kind: 'slow-first-token', delayMs: 5000 };
    const slow = await toStandalone('And at Mach 2?', prior, llm({ timeoutMs: 300 }));
    assert.equal(slow.method, 'key-terms');
    assert.ok(slow.llmError, 'the reason the LLM was not used is kept');
  });
});
