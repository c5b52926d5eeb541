// Conversations end to end on real parts (files, SQLite, FAISS, the tiny ONNX models, the fake Ollama over HTTP):
// a follow-up is retrieved on its standalone form, sources arrive before the first token, chats are listed,
// searched, renamed, exported and deleted, an empty store says so, and a killed ask is ended at the next start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createEngine, type Engine } from '../../core/engine.js';
import type { EventName, LocalRagEvents } from '../../core/contract/api.js';
import { tinyEngine } from '../support/engine.js';
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama.js';
import { testModelsDir } from '../support/models.js';
import { projectRoot, tempDir } from '../support/temp.js';

const REWRITTEN = 'Does the supersonic wing flutter at Mach 2?';

function writeDocs(folder: string): void {
  mkdirSync(folder, { recursive: true });
  ['supersonic wing flutter', 'propeller noise', 'hypersonic heat transfer'].forEach((topic, i) => {
    const paras = Array.from({ length: 8 }, (_, j) => `Paragraph ${j} of the ${topic} report: ${topic} measured at station ${j} and Mach ${i + 1}.`);
    writeFileSync(join(folder, `report-${i}.md`), `# ${topic}\n\n${paras.join('\n\n')}\n`);
  });
}

type Seen = { event: EventName; payload: unknown };
function record(engine: Engine): Seen[] {
  const seen: Seen[] = [];
  engine.subscribe((event, payload) => seen.push({ event, payload }));
  return seen;
}

describe('conversations', () => {
  let fake: FakeOllama;
  let engine: Engine;
  let root: string;
  before(async () => {
    root = tempDir();
    writeDocs(join(root, 'docs'));
    fake = await startFakeOllama({ models: ['llama3.2:latest'] });
    // The rewrite request is told apart from the answer request by its system prompt.
    fake.scriptFor = (body) => {
      const messages = (body?.messages ?? []) as { content: string }[];
      return messages[0]?.content.includes('rewrite a follow-up') ? { kind: 'normal', tokens: [REWRITTEN] } : undefined;
    };
    fake.script = { kind: 'normal', tokens: ['Flutter', ' appears', ' near', ' Mach', ' one', ' [1].'] };
    engine = await tinyEngine(join(root, 'store'), {}, {
      chunkTokens: 64, chunkOverlap: 8, retrieveK: 20, topN: 5, finalK: 4,
      llmBackend: 'ollama', ollamaHost: fake.url, ollamaModel: 'llama3.2:latest',
    });
  });
  after(async () => {
    await engine?.close();
    await fake?.close();
  });

  test('an ask on an empty store says so in the result, without asking the LLM', async () => {
    const r = await engine.ask({ requestId: 'empty', question: 'When does the wing flutter?' });
    assert.equal(r.status, 'unavailable');
    assert.equal(r.error?.code, 'store-empty');
    assert.match(r.error!.message, /Nothing is indexed yet/);
    assert.equal(fake.chatRequests().length, 0);
    assert.equal((await engine.history({})).find((h) => h.requestId === 'empty')?.status, 'failed');
    await engine.deleteConversation({ id: r.conversationId! });
  });

  test('a follow-up is searched in its standalone form; sources come before the first token', async () => {
    await engine.reindex({ path: join(root, 'docs') });
    const seen = record(engine);
    const first = await engine.ask({ requestId: 'q1', question: 'When does the wing flutter?' });
    assert.equal(first.status, 'ok');
    assert.equal(first.standaloneMethod, 'first-question');
    assert.equal(first.search.question, 'When does the wing flutter?');
    const chatsBefore = fake.chatRequests().length;
    const follow = await engine.ask({ requestId: 'q2', question: 'And at Mach 2?', conversationId: first.conversationId });
    assert.equal(follow.conversationId, first.conversationId);
    assert.equal(follow.question, 'And at Mach 2?');
    assert.equal(follow.standaloneQuestion, REWRITTEN);
    assert.equal(follow.standaloneMethod, 'llm');
    assert.equal(follow.search.question, REWRITTEN, 'retrieval ran on the standalone question');
    assert.equal(fake.chatRequests().length, chatsBefore + 2, 'one rewrite and one answer');
    const rewrite = follow.timings.find((t) => t.stage === 'rewrite')!;
    assert.equal(rewrite.startMs, 0);
    assert.ok(follow.timings.filter((t) => t.stage !== 'rewrite').every((t) => (t.startMs ?? 0) >= rewrite.ms - 1e-6), 'the search starts after the rewrite');

    const mine = seen.filter((s) => (s.payload as { requestId?: string }).requestId === 'q2');
    const at = (pred: (s: Seen) => boolean) => mine.findIndex(pred);
    const sources = mine.filter((s) => s.event === 'onAnswerSources').map((s) => s.payload as LocalRagEvents['onAnswerSources']);
    assert.equal(sources.length, 2, 'once after reranking, once after the prompt is fitted');
    assert.equal(sources[0]!.dropped, null);
    assert.deepEqual(sources[1]!.dropped, follow.dropped);
    assert.equal(sources[0]!.standaloneQuestion, REWRITTEN);
    assert.deepEqual(sources[0]!.sources.map((c) => c.chunkId), follow.search.top.map((c) => c.chunkId));
    assert.ok(at((s) => s.event === 'onAnswerSources') < at((s) => s.event === 'onAnswerToken'), 'sources before the first token');
  });

  test('without an LLM a follow-up takes the previous question\'s key terms', async () => {
    await engine.updateSettings({ ollamaModel: '' });
    try {
      const first = await engine.ask({ requestId: 'k1', question: 'How loud is the propeller noise?' });
      const follow = await engine.ask({ requestId: 'k2', question: 'And at station 3?', conversationId: first.conversationId });
      assert.equal(follow.standaloneMethod, 'key-terms');
      assert.equal(follow.standaloneQuestion, 'And at station 3? (loud propeller noise)');
      assert.equal(follow.search.question, follow.standaloneQuestion);
      assert.match(follow.timings.find((t) => t.stage === 'rewrite')!.note!, /key terms/);
    } finally {
      await engine.updateSettings({ ollamaModel: 'llama3.2:latest' });
    }
  });

  test('chats are listed newest first, searched, renamed, exported with numbered sources, and deleted', async () => {
    const list = await engine.listConversations({});
    assert.deepEqual(list.map((c) => [c.title, c.questions]), [['How loud is the propeller noise?', 2], ['When does the wing flutter?', 2]]);
    const flutter = list[1]!;
    assert.deepEqual((await engine.listConversations({ query: 'mach 2' })).map((c) => c.id), [flutter.id], 'found by a follow-up question');
    assert.deepEqual((await engine.listConversations({ query: 'APPEARS near' })).map((c) => c.id), [flutter.id], 'found by answer text, any case');
    assert.deepEqual(await engine.listConversations({ query: '100%' }), []);
    const renamed = await engine.renameConversation({ id: flutter.id, title: '  Flutter   study ' });
    assert.equal(renamed.title, 'Flutter study');

    const detail = await engine.getConversation({ id: flutter.id });
    assert.deepEqual(detail.turns.map((t) => [t.question, t.standaloneQuestion, t.status]), [
      ['When does the wing flutter?', 'When does the wing flutter?', 'done'], ['And at Mach 2?', REWRITTEN, 'done'],
    ]);
    const { fileName, markdown } = await engine.exportConversation({ id: flutter.id });
    assert.equal(fileName, 'flutter-study.md');
    assert.match(markdown, /^# Flutter study\n/);
    assert.match(markdown, /## 2\. And at Mach 2\?\n\n\*Searched as:\* Does the supersonic wing flutter at Mach 2\?\n\nFlutter appears near Mach one \[1\]\.\n\n\*\*Sources\*\*\n\n1\. report-\d\.md/);
    const sources = detail.turns[1]!.result!.sources;
    sources.forEach((s, i) => assert.ok(markdown.includes(`${i + 1}. ${s.path.split('/').pop()}`), `source ${i + 1} is numbered`));

    assert.deepEqual(await engine.deleteConversation({ id: flutter.id }), { deleted: true });
    assert.equal((await engine.listConversations({})).length, 1);
    assert.equal((await engine.history({})).some((h) => h.conversationId === flutter.id), false, 'its questions went with it');
    await assert.rejects(engine.ask({ requestId: 'gone', question: 'x?', conversationId: flutter.id }), (e: { appError?: { code: string } }) => e.appError?.code === 'conversation-not-found');
  });
});

test('an ask killed mid-answer leaves a failed row, not a running one, once the store is opened again', { timeout: 120_000 }, async () => {
  const root = tempDir();
  writeDocs(join(root, 'docs'));
  const fake = await startFakeOllama({ models: ['llama3.2:latest'] });
  try {
    const store = join(root, 'store');
    const setup = await tinyEngine(store, {}, { chunkTokens: 64, chunkOverlap: 8, ollamaHost: fake.url, ollamaModel: 'llama3.2:latest' });
    await setup.reindex({ path: join(root, 'docs') });
    await setup.close();
    fake.script = { kind: 'stall', after: 2 };
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/engine/fixtures/ask-child.ts'), store, testModelsDir, 'killed'], { stdio: 'ignore', cwd: projectRoot });
    const exited = new Promise((r) => child.once('exit', r));
    const deadline = Date.now() + 90_000;
    while (fake.chatRequests().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(fake.chatRequests().length, 1, 'the child got as far as the LLM');
    child.kill('SIGKILL');
    await exited;
    const engine = await createEngine({ storeDir: store, modelsDir: testModelsDir });
    try {
      const row = (await engine.history({})).find((h) => h.requestId === 'killed');
      assert.equal(row?.status, 'failed');
      assert.equal(row?.error?.code, 'answer-interrupted');
    } finally {
      await engine.close();
    }
  } finally {
    await fake.close();
  }
});
