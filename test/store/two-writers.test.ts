// Several processes on one store: index runs queue on a writer lock (with a line saying so) instead of dying with
// "database is locked", and a long-lived engine (as in serve) sees vectors another process added and never
// overwrites the saved index with its stale copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDb } from '../../core/store/db.js';
import { acquireWriterLock } from '../../core/store/writer-lock.js';
import { tempDir, projectRoot } from '../support/temp.js';
import { testModelsDir } from '../support/models.js';
import { tinyEngine } from '../support/engine.js';
import { assertFaissEqualsSqlite, runCli } from '../support/vectors.js';

function folderOf(root: string, name: string, files: number, topic: string): string {
  const folder = join(root, name);
  mkdirSync(folder);
  for (let i = 0; i < files; i++) {
    writeFileSync(join(folder, `${name}-${i}.md`), `# ${name} ${i}\n\n${Array.from({ length: 6 }, (_, j) => `${topic} note ${i}.${j}: measurements repeated across the series.`).join('\n\n')}\n`);
  }
  return folder;
}

function assertConsistent(storeDir: string): void {
  const db = new Database(join(storeDir, 'localrag.sqlite'), { readonly: true });
  try {
    assert.equal(db.prepare('SELECT count(*) FROM (SELECT document_id, ord FROM chunks GROUP BY document_id, ord HAVING count(*) > 1)').pluck().get(), 0, 'no duplicated chunks');
    assert.equal(db.prepare('SELECT count(*) FROM documents d WHERE chunks != (SELECT count(*) FROM chunks c WHERE c.document_id = d.id)').pluck().get(), 0);
    assert.equal(db.prepare('SELECT count(*) FROM chunks c LEFT JOIN vectors v ON v.chunk_id = c.id WHERE v.chunk_id IS NULL').pluck().get(), 0, 'every chunk has its vector');
  } finally {
    db.close();
  }
  assertFaissEqualsSqlite(storeDir);
}

test('two concurrent index runs on one store both finish, and the store is consistent', async () => {
  const root = tempDir();
  const storeDir = join(root, 'store');
  const a = folderOf(root, 'alpha', 30, 'supersonic wing flutter');
  const b = folderOf(root, 'beta', 30, 'hypersonic heat transfer');
  await (await tinyEngine(storeDir)).close();
  const [ra, rb] = await Promise.all([
    runCli(['index', a, b, '--json', '--store', storeDir]),
    runCli(['index', b, a, '--json', '--store', storeDir]),
  ]);
  assert.equal(ra.code, 0, ra.stderr);
  assert.equal(rb.code, 0, rb.stderr);
  assert.doesNotMatch(ra.stderr + rb.stderr, /database is locked/);
  const sa = JSON.parse(ra.stdout) as { filesIndexed: number; filesUnchanged: number };
  const sb = JSON.parse(rb.stdout) as { filesIndexed: number; filesUnchanged: number };
  assert.equal(sa.filesIndexed + sb.filesIndexed, 60, 'each file was indexed once, by one of the two');
  assertConsistent(storeDir);
});

test('an index run waits for another writer with a clear line, then finishes', async () => {
  const root = tempDir();
  const storeDir = join(root, 'store');
  const a = folderOf(root, 'gamma', 3, 'boundary layer');
  await (await tinyEngine(storeDir)).close();
  const db = openDb(storeDir);
  const lock = await acquireWriterLock(db, { purpose: 'test' });
  const child = spawn(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), 'index', a, '--json', '--store', storeDir, '--models', testModelsDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const started = Date.now();
  while (!/another localrag \(pid \d+, test\) is indexing this store; waiting…/.test(stderr)) {
    assert.ok(Date.now() - started < 60_000, `the waiting line appears (stderr so far: ${stderr})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(db.prepare("SELECT count(*) FROM documents").pluck().get(), 0, 'nothing written while it waits');
  lock.release();
  db.close();
  assert.equal(await exited, 0, stderr);
  assertConsistent(storeDir);
});

test('an open engine (as in serve) sees vectors another process added, without a restart, and never saves a stale copy', async () => {
  const root = tempDir();
  const storeDir = join(root, 'store');
  const a = folderOf(root, 'delta', 4, 'compressor blade stall');
  const b = folderOf(root, 'epsilon', 4, 'parachute canopy inflation');
  const engine = await tinyEngine(storeDir);
  try {
    await engine.library.index([engine.library.add(a)]);
    const before = await engine.search({ question: 'parachute canopy inflation' });
    assert.ok(before.candidates.every((c) => !c.path.includes('epsilon')));

    const cli = await runCli(['index', b, '--json', '--quiet', '--store', storeDir]);
    assert.equal(cli.code, 0, cli.stderr);
    const fromCli = JSON.parse(cli.stdout) as { vectorsAdded: number };
    assert.ok(fromCli.vectorsAdded > 0);

    const after = await engine.search({ question: 'parachute canopy inflation' });
    const dense = after.candidates.filter((c) => c.path.includes('epsilon') && c.denseRank !== null);
    assert.ok(dense.length > 0, 'the engine searches the vectors the other process added');
    // The engine's own write path saves the index: it must hold the other process's vectors too.
    await engine.library.index([a]);
    assertConsistent(storeDir);
  } finally {
    await engine.close();
  }
  assertConsistent(storeDir);
});

test('a writer lock left by a process killed with -9 is taken over at once', async () => {
  const db = openDb(tempDir());
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!; // a pid that has exited
  db.prepare("INSERT INTO meta(key, value) VALUES ('writer_lock', ?)").run(JSON.stringify({ token: 'x', pid: gone, host: hostname(), purpose: 'indexing', since: '', heartbeat: Date.now() }));
  let waited = false;
  const lock = await acquireWriterLock(db, { purpose: 'test', onWait: () => { waited = true; } });
  assert.equal(waited, false);
  lock.release();
  assert.equal(db.prepare("SELECT count(*) FROM meta WHERE key = 'writer_lock'").pluck().get(), 0, 'released');
  db.close();
});

test('a writer lock left by a dead engine thread of this process is judged by its heartbeat', async () => {
  const db = openDb(tempDir());
  const holder = (heartbeat: number) => JSON.stringify({ token: 'y', pid: process.pid, host: hostname(), purpose: 'indexing', since: '', heartbeat });
  // Silent for a minute: the thread that held it is gone (serve mode restarted its engine), so it is taken over.
  db.prepare("INSERT INTO meta(key, value) VALUES ('writer_lock', ?)").run(holder(Date.now() - 60_000));
  let waited = false;
  const lock = await acquireWriterLock(db, { purpose: 'test', onWait: () => { waited = true; } });
  assert.equal(waited, false);
  lock.release();
  // Beating: another engine of this process holds it, so the caller waits.
  db.prepare("INSERT INTO meta(key, value) VALUES ('writer_lock', ?)").run(holder(Date.now()));
  const abort = new AbortController();
  const waiting = acquireWriterLock(db, { purpose: 'test', signal: abort.signal, onWait: () => abort.abort(new Error('waits')) });
  await assert.rejects(waiting, /waits/);
  db.close();
});
