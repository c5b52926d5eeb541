// A full disk: every save of the vector index fails with one clear disk-full error, never leaves a 0-byte or partial
// .tmp file, never hides the SQLite error that came with it, and the next run on a disk with room recovers the store
// to exactly what a clean run gives. Real SQLite, real FAISS; the full disk is a real 16 MB tmpfs where this machine
// lets the test mount one, and a writer that fails as the file system does otherwise (only at that boundary).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AppError } from '../../core/contract/api.js';
import { openDb } from '../../core/store/db.js';
import { isDiskFull, storeMissing } from '../../core/store/store-errors.js';
import { replaceDocument } from '../../core/store/documents.js';
import { FlatBackend } from '../../core/store/flat-index.js';
import { storeVectors, VectorIndex } from '../../core/store/vector-index.js';
import { sharedDir, tempDir } from '../support/temp.js';
import { synthTinyEmbedder } from '../support/models.js';
import { assertFaissEqualsSqlite, runCli as runCliWith } from '../support/vectors.js';

const DIM = 8;
const unit = (seed: number) => {
  const v = new Float32Array(DIM).map((_, i) => Math.sin(seed * 7.3 + i * 1.1));
  return v.map((x) => x / Math.hypot(...v));
};

const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

test('a vector index save that runs out of space: disk-full in words, no .tmp left, the saved index untouched', (t) => {
  const dir = tempDir();
  const db = openDb(dir);
  const ids = replaceDocument(db, { path: '/f/a.txt', folder: '/f', hash: 'h', size: 1, mtimeMs: 1 },
    Array.from({ length: 6 }, (_, i) => ({ text: `chunk ${i}`, charStart: i, charEnd: i + 1, page: null, headingPath: [], tokenCount: 2 })), 'k').added;
  storeVectors(db, ids, ids.map(unit));
  const { index } = VectorIndex.open(db, dir, DIM);
  const saved = { faiss: readFileSync(join(dir, 'vectors.faiss')), ids: readFileSync(join(dir, 'vectors.ids.json')) };

  // The file system fills up half way through the write, as writeFileSync does on a full disk.
  const write = FlatBackend.prototype.writeTo;
  t.after(() => { FlatBackend.prototype.writeTo = write; });
  FlatBackend.prototype.writeTo = function (path: string) {
    writeFileSync(path, Buffer.alloc(20));
    throw enospc();
  };
  storeVectors(db, [ids[0]!], [unit(99)]); // a vector changed in SQLite: the index has something to save
  let error: AppError | undefined;
  try { index.save(); } catch (err) { error = (err as { appError?: AppError }).appError; }
  assert.equal(error?.code, 'disk-full');
  assert.equal(error?.params?.dir, dir);
  assert.equal(error?.message, `The disk holding ${dir} is full: saving the vector index stopped (ENOSPC: no space left on device, write).`);
  assert.match(error?.action ?? '', /Free some space/);
  assert.deepEqual(leftovers(dir), [], 'no partial .tmp file');
  assert.ok(readFileSync(join(dir, 'vectors.faiss')).equals(saved.faiss), 'the last good index is still there');
  assert.ok(readFileSync(join(dir, 'vectors.ids.json')).equals(saved.ids));

  // A failure that is not a full disk is reported as it is, and leaves nothing behind either.
  FlatBackend.prototype.writeTo = function (path: string) {
    writeFileSync(path, '');
    throw Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' });
  };
  assert.throws(() => index.save(), /EACCES/);
  assert.deepEqual(leftovers(dir), []);

  // Space again: the next save writes what SQLite holds.
  FlatBackend.prototype.writeTo = write;
  index.save();
  index.close();
  assertFaissEqualsSqlite(dir);
  db.close();
});

test('what counts as a full disk: SQLite\'s and the OS\'s own codes; other errors only where space has run out', () => {
  const roomy = tempDir();
  for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT']) assert.equal(isDiskFull(Object.assign(new Error(code), { code }), roomy), true, code);
  for (const code of ['EACCES', 'SQLITE_BUSY', 'SQLITE_IOERR_WRITE']) assert.equal(isDiskFull(Object.assign(new Error(code), { code }), roomy), false, code);
  assert.equal(isDiskFull(new Error('Failed to serialize into stream'), roomy), false, 'a native error on a disk with room');
  assert.equal(isDiskFull(storeMissing(roomy), roomy), false);
});

/** Mounts a tmpfs of `size` at `dir`; false where this machine does not allow it (not root, no mount). */
function mountTmpfs(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
}

test('the HNSW graph\'s native writer on a really full disk: disk-full too, and no partial .tmp', (t) => {
  const dir = join(tempDir(), 'mnt');
  if (!mountTmpfs(dir, '2m')) {
    t.skip('mounting a tmpfs needs root (CAP_SYS_ADMIN) here; the injected failure above covers the save path');
    return;
  }
  t.after(() => { spawnSync('umount', ['-l', dir]); });
  const db = openDb(dir);
  t.after(() => db.close());
  const ids = replaceDocument(db, { path: '/f/a.txt', folder: '/f', hash: 'h', size: 1, mtimeMs: 1 },
    Array.from({ length: 300 }, (_, i) => ({ text: `chunk ${i}`, charStart: i, charEnd: i + 1, page: null, headingPath: [], tokenCount: 2 })), 'k').added;
  storeVectors(db, ids, ids.map(unit));
  // usearch reports only "Failed to serialize"; the space left on the disk is what says it is full.
  const free = statfsSync(dir);
  writeFileSync(join(dir, 'filler'), Buffer.alloc(Number(free.bavail * free.bsize) - 8 * 1024));
  let error: AppError | undefined;
  try { VectorIndex.open(db, dir, DIM, { hnswFrom: 100 }); } catch (err) { error = (err as { appError?: AppError }).appError; }
  assert.equal(error?.code, 'disk-full', String(error?.message));
  assert.match(error!.message, /saving the vector index stopped/);
  // On that full disk, an error that says what it is keeps its own name.
  assert.equal(isDiskFull(storeMissing(dir), dir), false);
  assert.equal(isDiskFull(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_SHMSIZE' }), dir), true);
  assert.deepEqual(leftovers(dir), []);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('vectors.')), [], 'no index file written in part');
});

/** A store's content, independent of chunk ids: every document's state, chunks and vector bytes, in path order. */
function contentOf(store: string): string {
  const db = new Database(join(store, 'localrag.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return JSON.stringify(db.prepare(`SELECT d.path, d.state, d.chunks, c.ord, c.text, hex(v.vector) AS vector FROM documents d
      LEFT JOIN chunks c ON c.document_id = d.id LEFT JOIN vectors v ON v.chunk_id = c.id ORDER BY d.path, c.ord`).all());
  } finally {
    db.close();
  }
}

test('indexing onto a full disk: one line naming SQLite\'s error and the failed save; the next run recovers to a clean run\'s store', async (t) => {
  const root = tempDir();
  const store = join(root, 'mnt');
  if (!mountTmpfs(store, '16m')) {
    t.skip('mounting a tmpfs needs root (CAP_SYS_ADMIN) here; the injected failure above covers the save path');
    return;
  }
  t.after(() => { spawnSync('umount', ['-l', store]); });
  // A float32 embedder: int8 models quantise each batch by its own range, so a vector would depend on which chunks
  // shared its batch, and a resumed run could not be compared with a clean one byte for byte.
  const modelsDir = join(root, 'models');
  await synthTinyEmbedder(modelsDir, 'fp32-embedder', 7);
  const models = ['--models', modelsDir, '--embedder', 'fp32-embedder', '--provider', 'cpu', '--quiet'];
  const runCli = (args: string[]) => runCliWith(args, { models: false });
  const docs = join(root, 'docs');
  mkdirSync(docs);
  const cran = readFileSync(join(sharedDir, 'data', 'cranfield', 'cran.all.1400'), 'utf8').split(/^\.I /m).slice(1, 121);
  cran.forEach((d, i) => writeFileSync(join(docs, `doc${String(i).padStart(3, '0')}.txt`), d));
  const first = await runCli(['index', docs, '--store', store, ...models]);
  assert.equal(first.code, 0, first.stderr);

  // Edits to index, and 256 KiB of room: SQLite opens and commits a few edited files (so the index has changes to
  // save), then fills the disk, and the save of the vector index cannot fit either.
  for (let i = 0; i < 120; i += 2) appendFileSync(join(docs, `doc${String(i).padStart(3, '0')}.txt`), ' Revised: flutter margins measured again at higher Mach numbers.');
  const free = statfsSync(store);
  writeFileSync(join(store, 'filler'), Buffer.alloc(Number(free.bavail * free.bsize) - 256 * 1024));
  const full = await runCli(['index', docs, '--store', store, ...models]);
  assert.equal(full.code, 1);
  const lines = full.stderr.trim().split('\n');
  assert.equal(lines.length, 1, full.stderr);
  assert.match(lines[0]!, new RegExp(`^localrag: The disk holding ${store} is full: indexing stopped \\(`));
  assert.match(lines[0]!, /SQLite: database or disk is full/, 'SQLite\'s error is named, not hidden by the save\'s');
  assert.match(lines[0]!, /saving the vector index: ENOSPC/, 'and the save that failed after it');
  assert.match(lines[0]!, /Free some space on that disk/);
  assert.deepEqual(leftovers(store), [], 'no 0-byte or partial .tmp');

  // Room again: the next run finishes, and the store equals one made by a clean run of the same files.
  spawnSync('rm', ['-f', join(store, 'filler')]);
  const again = await runCli(['index', docs, '--store', store, ...models]);
  assert.equal(again.code, 0, again.stderr);
  const clean = join(root, 'clean');
  const cleanRun = await runCli(['index', docs, '--store', clean, ...models]);
  assert.equal(cleanRun.code, 0, cleanRun.stderr);
  assert.equal(contentOf(store), contentOf(clean));
  assertFaissEqualsSqlite(store);
  assertFaissEqualsSqlite(clean);
  assert.deepEqual(leftovers(store), []);
});
