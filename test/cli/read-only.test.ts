// Read commands never write: on a store that is not there they say so in one line, exit 1 and create nothing; on a
// store that is there they leave localrag.sqlite and the vector index byte for byte (times included). Real bin,
// real child processes, tiny synthesised models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, tempDir } from '../support/temp.js';
import { testModelsDir, tinyModels } from '../support/models.js';

interface Run { code: number | null; out: string; err: string }

function cli(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), ...args], {
    env: { ...process.env, OLLAMA_HOST: '', LOCALRAG_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => child.on('close', (code) => { clearTimeout(timer); resolve({ code, out, err }); }));
}

/** Two at a time: each child loads the engine's native modules, and the machine is shared. */
async function cliAll(calls: string[][]): Promise<Run[]> {
  const results: Run[] = new Array(calls.length);
  let next = 0;
  const worker = async () => { for (let i = next++; i < calls.length; i = next++) results[i] = await cli(calls[i]!); };
  await Promise.all([worker(), worker()]);
  return results;
}

const models = ['--models', testModelsDir, '--embedder', 'tiny-embedder', '--cross-encoder', 'tiny-cross-encoder', '--provider', 'cpu'];

/** The store's own files (not SQLite's -wal/-shm, which a WAL reader needs): bytes and modification times. */
function fingerprint(store: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ['localrag.sqlite', 'vectors.faiss', 'vectors.ids.json']) {
    const p = join(store, f);
    out[f] = existsSync(p) ? `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${statSync(p).mtimeMs}` : 'absent';
  }
  return out;
}

test('every read command on a store that is not there: one line saying so and what to do, exit 1, nothing created', async () => {
  await tinyModels();
  const nowhere = join(tempDir(), 'no-store');
  const reads = [['status'], ['search', 'wings'], ['ask', 'why do wings stall?'], ['doctor', '--check'], ['doctor'], ['status', '--json']];
  const runs = await cliAll(reads.map((r) => [...r, '--store', nowhere, ...models]));
  runs.forEach((r, i) => {
    const what = reads[i]!.join(' ');
    assert.equal(r.code, 1, `${what}: ${r.err}`);
    // With --json the same error is also one JSON object on stdout, carrying its stable code.
    if (what.endsWith('--json')) assert.equal(JSON.parse(r.out).error.code, 'store-missing', what);
    else assert.equal(r.out, '', what);
    assert.equal(r.err, `localrag: There is no localrag store in ${nowhere}: nothing has been indexed there yet. Run \`localrag index <folder>\` first, or name another store with --store.\n`, what);
  });
  // Listing models needs no store: the default choices are listed, and still nothing is created.
  const list = await cli(['models', 'list', '--json', '--store', nowhere, ...models]);
  assert.equal(list.code, 0, list.err);
  assert.deepEqual(JSON.parse(list.out).map((m: { id: string }) => m.id), ['tiny-embedder', 'tiny-cross-encoder']);
  assert.equal(existsSync(nowhere), false, `${nowhere} was not created`);
});

test('reads on a store that is there leave its files byte for byte, even when its vector index needs a repair', async () => {
  await tinyModels();
  const root = tempDir();
  const docs = join(root, 'docs');
  mkdirSync(docs);
  for (let i = 0; i < 8; i++) writeFileSync(join(docs, `wing-${i}.txt`), `Wing ${i} stalls when the angle of attack is too high. `.repeat(30));
  const store = join(root, 'store');
  const indexed = await cli(['index', docs, '--quiet', '--store', store, ...models]);
  assert.equal(indexed.code, 0, indexed.err);
  const reads = [['status'], ['status', '--json'], ['search', 'wing stall', '--json'], ['doctor', '--check'], ['models', 'list']];

  const before = fingerprint(store);
  assert.notEqual(before['vectors.faiss'], 'absent');
  const runs = await cliAll(reads.map((r) => [...r, '--store', store, ...models]));
  runs.forEach((r, i) => assert.equal(r.code, 0, `${reads[i]!.join(' ')}: ${r.err}`));
  assert.deepEqual(fingerprint(store), before, 'nothing written');
  const top = JSON.parse(runs[2]!.out).top.map((c: { chunkId: number }) => c.chunkId);

  // A missing FAISS file: search repairs it in memory and answers the same; only a writer saves the repair.
  rmSync(join(store, 'vectors.faiss'));
  const damaged = fingerprint(store);
  const [search, check] = await cliAll([['search', 'wing stall', '--json', '--store', store, ...models], ['doctor', '--check', '--store', store, ...models]]);
  assert.equal(search!.code, 0, search!.err);
  assert.deepEqual(JSON.parse(search!.out).top.map((c: { chunkId: number }) => c.chunkId), top);
  assert.match(search!.err, /repaired the vector index in memory/);
  assert.equal(check!.code, 1, 'doctor --check reports the damage');
  assert.deepEqual(fingerprint(store), damaged, 'vectors.faiss was not rewritten by a read');
  const repair = await cli(['doctor', '--store', store, ...models]);
  assert.equal(repair.code, 0, repair.err);
  assert.equal(existsSync(join(store, 'vectors.faiss')), true);
});
