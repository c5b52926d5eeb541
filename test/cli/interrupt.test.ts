// Ctrl-C in a terminal, for real: the localrag command as a child process, sent SIGINT mid-work. It prints what it
// did, exits 130, loses nothing, and the same command again resumes.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { FAKE_TOKENS, startFakeOllama } from '../support/fake-ollama.js';
import { testModelsDir, tinyModels } from '../support/models.js';
import { projectRoot, tempDir } from '../support/temp.js';

const BIN = join(projectRoot, 'core/cli/bin.mjs');

interface Run { code: number | null; signal: NodeJS.Signals | null; out: string; err: string }

/** Starts localrag; `interruptWhen` is polled and SIGINT is sent the first time it says so. */
function interruptedRun(args: string[], interruptWhen: (out: string) => boolean): Promise<Run & { interruptedAt: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let interruptedAt: number | null = null;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const poll = setInterval(() => {
      if (interruptedAt === null && interruptWhen(out)) {
        interruptedAt = Date.now();
        child.kill('SIGINT');
      }
    }, 10);
    const hang = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(hang);
      resolve({ code, signal, out, err, interruptedAt });
    });
  });
}

function documentsIn(store: string): number {
  const file = join(store, 'localrag.sqlite');
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("SELECT COUNT(*) AS n FROM documents WHERE state = 'indexed'").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // the schema is still being created
  }
}

test('Ctrl-C during index keeps what was indexed, says so, exits 130, and the next run resumes', async () => {
  await tinyModels();
  const root = tempDir('localrag-sigint-');
  const docs = join(root, 'docs');
  mkdirSync(docs);
  const total = 400;
  for (let i = 0; i < total; i++) writeFileSync(join(docs, `n${String(i).padStart(4, '0')}.md`), `# Note ${i}\n\nThe flap ${i} deflects ${i % 40} degrees at Mach 0.${i % 9}.\n`);
  const store = join(root, 'store');
  const common = ['--store', store, '--models', testModelsDir, '--embedder', 'tiny-embedder', '--cross-encoder', 'tiny-cross-encoder', '--provider', 'cpu', '--quiet'];

  const first = await interruptedRun(['index', docs, ...common], () => documentsIn(store) >= 5);
  assert.notEqual(first.interruptedAt, null, 'the run was interrupted mid-way');
  assert.equal(first.code, 130, first.err);
  const done = Number(/indexed (\d+) files/.exec(first.out)?.[1]);
  assert.ok(done >= 5 && done < total, `stopped early: ${first.out}`);
  assert.match(first.out, new RegExp(`interrupted: the ${done} files indexed so far are kept; run the same command again to continue`));
  assert.equal(documentsIn(store), done, 'every file it reported is in the store');

  const second = spawnSync(process.execPath, [BIN, 'index', docs, '--json', ...common], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(second.status, 0, second.stderr);
  const summary = JSON.parse(second.stdout);
  assert.equal(summary.filesUnchanged, done, 'the interrupted run\'s files are not indexed again');
  assert.equal(summary.filesIndexed, total - done);
  assert.equal(summary.status.vectors, total, 'every file has its vector');
});

test('Ctrl-C during ask prints the answer so far, its sources and timings, and exits 130', async () => {
  await tinyModels();
  const root = tempDir('localrag-sigint-ask-');
  const docs = join(root, 'docs');
  mkdirSync(docs);
  writeFileSync(join(docs, 'wing.md'), '# Wing\n\nThe boundary layer thickens towards the trailing edge of the wing.\n');
  const fake = await startFakeOllama({ models: ['llama3.2:latest'] });
  try {
    fake.script = { kind: 'stall', after: 3 };
    const common = ['--store', join(root, 'store'), '--models', testModelsDir, '--embedder', 'tiny-embedder', '--cross-encoder', 'tiny-cross-encoder', '--provider', 'cpu', '--quiet'];
    assert.equal(spawnSync(process.execPath, [BIN, 'index', docs, ...common], { encoding: 'utf8', timeout: 120_000 }).status, 0);
    const partial = FAKE_TOKENS.slice(0, 3).join('');
    const run = await interruptedRun(['ask', 'What thickens near the trailing edge?', '--llm', 'ollama', '--host', fake.url, '--model', 'llama3.2', ...common], (out) => out.includes(partial));
    assert.equal(run.code, 130, run.err);
    assert.ok(run.out.startsWith(partial), run.out);
    assert.match(run.out, /\[cancelled\]/);
    assert.match(run.out, /Sources:\n.*\[1\] .*wing\.md/);
    assert.match(run.out, /^stage\s+ms/m, 'the timing table');
    assert.match(run.out, /^llmTotal .*cancelled/m);
    assert.equal((await fake.chatRequests()[0]!.ended).clientAborted, true, 'the LLM request was aborted');
  } finally {
    await fake.close();
  }
});
