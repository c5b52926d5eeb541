// A read never writes: a store opened for reading is never created, migrated or changed (its SQLite file and its
// vector index keep their bytes and times), a damaged index is repaired in memory only, and a write asked of a
// read-only engine is refused in words before anything changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AppError } from '../../core/contract/api.js';
import { createEngine } from '../../core/engine.js';
import { getMeta, openDb, SCHEMA_V1, setMeta } from '../../core/store/db.js';
import { tempDir } from '../support/temp.js';
import { tinyEngine } from '../support/engine.js';
import { testModelsDir } from '../support/models.js';
import { assertFaissEqualsSqlite } from '../support/vectors.js';

/** Every file of the store that is not SQLite's own -wal/-shm: its bytes and modification time. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    if (/-(wal|shm)$/.test(f)) continue;
    const p = join(dir, f);
    if (statSync(p).isDirectory()) continue;
    out[f] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${statSync(p).mtimeMs}`;
  }
  return out;
}

function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    const e = (err as { appError?: AppError }).appError;
    assert.ok(e, `an AppError, not ${String(err)}`);
    return e;
  }
  return assert.fail('did not throw');
}

test('a store that is not there: readers refuse in words and create nothing; read-or-empty sees an empty store in memory', () => {
  const dir = join(tempDir(), 'no', 'store');
  for (const access of ['read', 'write'] as const) {
    const e = appErrorOf(() => openDb(dir, { access }));
    assert.equal(e.code, 'store-missing');
    assert.equal(e.params?.store, dir);
    assert.match(e.message, /There is no localrag store in .*nothing has been indexed there yet\./);
    assert.ok(e.action);
  }
  const empty = openDb(dir, { access: 'read-or-empty' });
  assert.equal(empty.prepare('SELECT count(*) FROM documents').pluck().get(), 0);
  empty.close();
  assert.equal(existsSync(join(dir, '..')), false, 'not even the parent folder was made');
});

test('a file that holds no store yet (left empty by a crash) is no store to a reader, and stays as it was', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'localrag.sqlite'), '');
  assert.equal(appErrorOf(() => openDb(dir, { access: 'read' })).code, 'store-missing');
  assert.equal(statSync(join(dir, 'localrag.sqlite')).size, 0);
});

test('an older store is upgraded by writers only: a read says so and leaves every byte; a newer one is refused by both', () => {
  const dir = tempDir();
  const old = new Database(join(dir, 'localrag.sqlite'));
  old.exec(SCHEMA_V1);
  old.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', '1')").run();
  old.close();
  const before = fingerprint(dir);
  const e = appErrorOf(() => openDb(dir, { access: 'read' }));
  assert.equal(e.code, 'store-needs-upgrade');
  assert.deepEqual([e.params?.store, e.params?.found], [dir, 1]);
  assert.match(`${e.message} ${e.action}`, /older localrag.*localrag doctor/);
  assert.deepEqual(fingerprint(dir), before, 'the read changed nothing');

  const db = openDb(dir, { access: 'write' });
  const current = Number(getMeta(db, 'schema_version'));
  assert.ok(current > 1, 'a writer migrates');
  setMeta(db, 'schema_version', String(current + 1));
  db.close();
  for (const access of ['read', 'write', 'create'] as const) {
    const newer = appErrorOf(() => openDb(dir, { access }));
    assert.equal(newer.code, 'store-too-new', access);
    assert.deepEqual([newer.params?.found, newer.params?.current], [current + 1, current]);
  }
});

test('a read-only connection cannot write, even by mistake', () => {
  const dir = tempDir();
  openDb(dir).close();
  const db = openDb(dir, { access: 'read' });
  assert.throws(() => setMeta(db, 'x', 'y'), /readonly/);
  db.close();
});

test('reads on an engine leave the store byte for byte; a damaged vector index is repaired in memory, not on disk', async () => {
  const root = tempDir();
  const docs = join(root, 'docs');
  mkdirSync(docs);
  for (let i = 0; i < 6; i++) writeFileSync(join(docs, `note-${i}.txt`), `Note ${i} on wing flutter at Mach ${i}. `.repeat(40));
  const store = join(root, 'store');
  const writer = await tinyEngine(store);
  await writer.reindex({ path: docs });
  await writer.close();
  const settings = { embedderModel: 'tiny-embedder', crossEncoderModel: 'tiny-cross-encoder', executionProvider: 'cpu' } as const;
  const reader = async () => createEngine({ storeDir: store, modelsDir: testModelsDir, access: 'read', overrides: settings });

  const reads = async () => {
    const engine = await reader();
    try {
      const status = await engine.getStatus();
      const result = await engine.search({ question: 'wing flutter', params: { mode: 'mixlm', topN: 5 } });
      const check = await engine.checkVectors({ checkOnly: true });
      await engine.listFiles({});
      await engine.history({});
      await engine.listConversations({});
      await engine.getEvalReport({});
      return { status, result, check };
    } finally {
      await engine.close();
    }
  };

  const before = fingerprint(store);
  const clean = await reads();
  assert.equal(clean.status.dense.status, 'ok');
  assert.equal(clean.check.ok, true);
  assert.ok(clean.result.candidates.length > 0);
  assert.deepEqual(fingerprint(store), before, 'status, search, doctor --check and the listings wrote nothing');

  // The FAISS file gone (a crash, a copy without it): reads still use dense retrieval, from an in-memory repair.
  rmSync(join(store, 'vectors.faiss'));
  const damaged = fingerprint(store);
  const repaired = await reads();
  assert.equal(repaired.status.dense.status, 'ok');
  assert.equal(repaired.check.ok, false, 'doctor --check still reports the damage: nothing was saved');
  assert.deepEqual(repaired.result.top.map((c) => c.chunkId), clean.result.top.map((c) => c.chunkId), 'the same answer as before');
  assert.deepEqual(fingerprint(store), damaged, 'the read did not rewrite vectors.faiss');

  // The next writer saves the repair.
  const doctor = await createEngine({ storeDir: store, modelsDir: testModelsDir, access: 'write', overrides: settings });
  assert.equal((await doctor.checkVectors({})).ok, true);
  await doctor.close();
  assertFaissEqualsSqlite(store);
});

test('a write asked of a read-only engine is refused before anything changes', async () => {
  const root = tempDir();
  const store = join(root, 'store');
  const writer = await tinyEngine(store);
  await writer.close();
  const before = fingerprint(store);
  const engine = await createEngine({ storeDir: store, modelsDir: testModelsDir, access: 'read' });
  const refusals = [
    engine.updateSettings({ alpha: 0.5 }), engine.addFolder({ path: root }), engine.removeFolder({ path: root }),
    engine.reindex({}), engine.ask({ requestId: 'r1', question: 'anything?' }), engine.checkVectors({}),
    engine.importModel({ role: 'embedder', folder: root }), engine.downloadModel({ id: 'multilingual-e5-small' }),
    engine.renameConversation({ id: 'c', title: 'x' }), engine.deleteConversation({ id: 'c' }),
    engine.startEval({ source: root }),
  ];
  for (const p of refusals) {
    await assert.rejects(p, (err: { appError?: AppError }) => err.appError?.code === 'store-read-only' && /opened only for reading/.test(err.appError.message));
  }
  assert.equal((await engine.getSettings()).alpha, 0.7, 'settings unchanged');
  await engine.close();
  assert.deepEqual(fingerprint(store), before);
});
