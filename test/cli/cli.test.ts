// The localrag command as scripts use it: real child processes, real store, tiny synthesised models, real GGUF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeFixtureFolder } from '../fixtures/make-fixtures.js';
import { tempDir, projectRoot, sharedDir } from '../support/temp.js';
import { testModelsDir, tinyModels } from '../support/models.js';

const gguf = join(sharedDir, 'models', 'llm', 'stories260K.gguf');

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 180_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('index reports every bad file with its reason, indexes the good ones, and search/ask work on the result', async (t) => {
  await tinyModels();
  const root = tempDir();
  const folder = join(root, 'docs');
  const fixture = await makeFixtureFolder(folder, { maxFileBytes: 64 * 1024 });
  const common = ['--store', join(root, 'store'), '--models', testModelsDir, '--embedder', 'tiny-embedder', '--cross-encoder', 'tiny-cross-encoder', '--provider', 'cpu', '--quiet'];

  const indexed = cli(['index', folder, '--json', '--max-file-mb', String(fixture.maxFileBytes / 1024 / 1024), ...common]);
  assert.equal(indexed.code, 0, indexed.err);
  const summary = JSON.parse(indexed.out);
  const reasons = new Map<string, string>(summary.skipped.map((f: { path: string; reason: string }) => [f.path, f.reason]));
  for (const [rel, reason] of Object.entries(fixture.expectSkipped)) {
    if (rel.includes('unreadable') && !fixture.unreadableEnforced) continue;
    const got = reasons.get(join(folder, rel));
    assert.ok(got, `${rel} is listed as skipped`);
    assert.match(got!.toLowerCase(), new RegExp(reason.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), `${rel}: ${got}`);
  }
  const db = new Database(join(root, 'store', 'localrag.sqlite'), { readonly: true });
  const states = new Map((db.prepare('SELECT path, state FROM documents').all() as { path: string; state: string }[]).map((r) => [r.path, r.state]));
  db.close();
  for (const rel of fixture.expectIndexed) assert.equal(states.get(join(folder, rel)), 'indexed', rel);
  for (const rel of fixture.expectIgnored) assert.equal(states.has(join(folder, rel)), false, `${rel} is ignored`);

  const search = cli(['search', 'shock waves in supersonic flow', '--json', '--mode', 'mixlm', '--alpha', '0.7', '--top-n', '5', ...common]);
  assert.equal(search.code, 0, search.err);
  const r = JSON.parse(search.out);
  assert.equal(r.mode, 'mixlm');
  assert.ok(r.candidates.length > 5);
  assert.equal(r.candidates.filter((c: { crossScored: boolean }) => c.crossScored).length, 5);
  assert.ok(r.candidates.some((c: { path: string; page: number | null }) => c.path.endsWith('.pdf') && c.page === 2), 'the PDF page about shock waves is a candidate, with its page');
  for (const stage of ['embedQuery', 'faiss', 'bm25', 'fuse', 'bi', 'cross', 'fusion']) assert.ok(r.timings.some((x: { stage: string }) => x.stage === stage), stage);

  const bad = cli(['search', 'x', '--mode', 'fancy', ...common]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^localrag: --mode must be one of none, bi, cross, mixlm \(got "fancy"\)/m);
  assert.equal(bad.err.trim().split('\n').length, 1, 'one line on stderr');

  // No Ollama: the sources and one clear reason, exit status 3.
  const down = cli(['ask', 'what slows the flow near the wall?', '--llm', 'ollama', '--host', 'http://127.0.0.1:9', '--model', 'llama3.2', ...common]);
  assert.equal(down.code, 3, down.err);
  assert.match(down.out, /answer unavailable: .*(Ollama|reach|connect)/i);
  assert.match(down.out, /Sources:\n.*\[1\]/);

  if (!existsSync(gguf)) return t.skip(`no ${gguf}: the embedded-LLM half needs ../shared`);
  const ask = cli(['ask', 'what slows the flow near the wall?', '--llm', 'embedded', '--model', gguf, ...common]);
  assert.equal(ask.code, 0, ask.err);
  assert.match(ask.out, /Sources:/);
  for (const stage of ['embedQuery', 'bm25', 'cross', 'prompt', 'llmFirstToken', 'llmTotal']) assert.match(ask.out, new RegExp(`^${stage} `, 'm'));
  const answerText = ask.out.split('\n\nSources:')[0]!;
  assert.ok(answerText.trim().length > 0, 'tokens were streamed before the sources');
});

test('usage errors exit 2 with one line', () => {
  const r = cli(['search']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^localrag: search needs a question/);
  assert.equal(cli(['nope']).code, 2);
});
