// The SQLite file: documents, chunks (+ BM25's postings), stored vectors, settings, history and a run log.
// SQLite is the source of truth; the FAISS file beside it is a derived index that start-up checks and repairs.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { StoreAccess } from '../contract/vocabulary.js';
import { rebuildFulltext, registerFulltext, upgradeFulltext } from './fulltext.js';
import { diskFull, isDiskFull, storeMissing, storeNeedsUpgrade, storeTooNew } from './store-errors.js';
import { vectorDigest } from './vector-digest.js';

export type Db = Database.Database;


export const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folders (path TEXT PRIMARY KEY, added_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  folder TEXT NOT NULL,
  kind TEXT,
  title TEXT,
  hash TEXT,
  size INTEGER NOT NULL DEFAULT 0,
  mtime_ms REAL NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  reason TEXT,
  chunker_key TEXT,
  chunks INTEGER NOT NULL DEFAULT 0,
  indexed_at TEXT
);
CREATE INDEX IF NOT EXISTS documents_folder ON documents(folder);
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  text TEXT NOT NULL,
  char_start INTEGER NOT NULL,
  char_end INTEGER NOT NULL,
  page INTEGER,
  heading_path TEXT NOT NULL DEFAULT '[]',
  token_count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks(document_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(text, content='chunks', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TABLE IF NOT EXISTS vectors (
  chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
  vector BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  provider TEXT,
  summary TEXT
);
CREATE TABLE IF NOT EXISTS history (
  request_id TEXT PRIMARY KEY,
  question TEXT NOT NULL,
  asked_at TEXT NOT NULL,
  status TEXT NOT NULL,
  answer TEXT NOT NULL DEFAULT '',
  result TEXT
);
`;

/**
 * Schema changes after version 1, in order: version N's step runs once, in one transaction, on a store at N-1.
 * Append a step (never edit a released one); SCHEMA_VERSION follows from the list.
 */
const MIGRATIONS: { version: number; why: string; up: (db: Db, log: (line: string) => void) => void }[] = [
  {
    version: 2,
    why: 'chunk ids are never reused (AUTOINCREMENT); each stored vector carries a digest of its id and content; '
      + 'every change to the vectors bumps a generation counter that other processes watch',
    up: (db) => {
      // SQLite cannot add AUTOINCREMENT to a table: rebuild chunks with the same rows and ids (foreign keys are off
      // during migrations, so vectors and the FTS index keep pointing at the same ids).
      db.exec(`CREATE TABLE chunks_v2 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        text TEXT NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        page INTEGER,
        heading_path TEXT NOT NULL DEFAULT '[]',
        token_count INTEGER NOT NULL
      );
      INSERT INTO chunks_v2 SELECT id, document_id, ord, text, char_start, char_end, page, heading_path, token_count FROM chunks;
      DROP TABLE chunks;
      ALTER TABLE chunks_v2 RENAME TO chunks;
      CREATE INDEX IF NOT EXISTS chunks_document ON chunks(document_id);
      CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts(rowid, text) VALUES (new.id, new.text);
      END;
      CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
      ALTER TABLE vectors ADD COLUMN digest INTEGER;
      INSERT OR IGNORE INTO meta(key, value) VALUES ('vectors_generation', '0');
      CREATE TRIGGER IF NOT EXISTS vectors_gen_ai AFTER INSERT ON vectors BEGIN
        UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vectors_generation';
      END;
      CREATE TRIGGER IF NOT EXISTS vectors_gen_ad AFTER DELETE ON vectors BEGIN
        UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vectors_generation';
      END;
      CREATE TRIGGER IF NOT EXISTS vectors_gen_au AFTER UPDATE ON vectors BEGIN
        UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vectors_generation';
      END;`);
      // Seed the id sequence above every id a FAISS file may still hold from before this migration.
      const maxId = db.prepare('SELECT max(id) FROM chunks').pluck().get() as number | null;
      if (maxId !== null) db.prepare("INSERT INTO sqlite_sequence(name, seq) SELECT 'chunks', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'chunks')").run(maxId);
      const rows = db.prepare('SELECT chunk_id, vector FROM vectors').iterate() as IterableIterator<{ chunk_id: number; vector: Buffer }>;
      const setDigest = db.prepare('UPDATE vectors SET digest = ? WHERE chunk_id = ?');
      const digests: [number, number][] = [];
      for (const r of rows) digests.push([vectorDigest(r.chunk_id, r.vector), r.chunk_id]);
      for (const [d, id] of digests) setDigest.run(d, id);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length) throw new Error(`migration 2 would break ${broken.length} references`);
    },
  },
  {
    version: 3,
    why: 'files carry their problem and note as AppError JSON, so the UI can word them in the user\'s language',
    up: (db) => db.exec('ALTER TABLE documents ADD COLUMN problem TEXT; ALTER TABLE documents ADD COLUMN note TEXT;'),
  },
  {
    version: 4,
    why: 'conversations (follow-up questions), and history rows that always end in done, failed or cancelled',
    up: (db) => db.exec(`
      CREATE TABLE conversations (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      ALTER TABLE history ADD COLUMN conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE;
      ALTER TABLE history ADD COLUMN standalone_question TEXT;
      ALTER TABLE history ADD COLUMN standalone_method TEXT;
      ALTER TABLE history ADD COLUMN error TEXT;
      ALTER TABLE history ADD COLUMN owner_pid INTEGER;
      CREATE INDEX history_conversation ON history(conversation_id, asked_at);
      -- Earlier questions become one-question conversations, so they stay in the list.
      INSERT INTO conversations(id, title, created_at, updated_at) SELECT request_id, substr(question, 1, 80), asked_at, asked_at FROM history;
      UPDATE history SET conversation_id = request_id,
        status = CASE status WHEN 'ok' THEN 'done' WHEN 'cancelled' THEN 'cancelled' ELSE 'failed' END,
        error = CASE status WHEN 'running' THEN '{"code":"answer-interrupted","message":"The app stopped before this answer was finished.","action":"Ask the question again."}' END;
    `),
  },
  {
    version: 5,
    why: 'BM25 over analysed terms (stemming, Japanese and Chinese words, no stopwords): the full-text index is rebuilt once',
    up: (db, log) => rebuildFulltext(db, progressLines(log, 'Rebuilding the full-text index'), progressLines(log, 'Building the BM25 index')),
  },
  {
    version: 6,
    why: 'BM25 reads its own postings (term -> chunks with term frequency and length) instead of FTS5, and scores every '
      + 'match exactly: the top K no longer comes from a pool that FTS5 ranked first (0.5-0.7 s at 1M chunks)',
    up: (db, log) => upgradeFulltext(db, progressLines(log, 'Building the BM25 index')),
  },
];

/** Progress of a long step as a line about every 20,000 passages, on stores of 10,000 passages or more. */
function progressLines(log: (line: string) => void, what: string): (done: number, total: number) => void {
  let shown = 0;
  return (done, total) => {
    if (total < 10_000 || (done - shown < 20_000 && done !== total)) return;
    shown = done;
    log(`${what}: ${done} of ${total} passages`);
  };
}

const SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 1);

function migrate(db: Db, from: number, log: (line: string) => void): void {
  // Steps may rebuild tables (SQLite's documented procedure needs foreign keys off, which only works outside a
  // transaction); each step is IMMEDIATE and re-reads the version, so two processes opening one store migrate once.
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of MIGRATIONS) {
      if (m.version <= from) continue;
      db.transaction(() => {
        if (Number(getMeta(db, 'schema_version') ?? 1) >= m.version) return;
        m.up(db, log);
        setMeta(db, 'schema_version', String(m.version));
      }).immediate();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

export interface OpenDbOptions {
  /** Progress of long migrations (e.g. a full-text rebuild), one line at a time. */
  log?: (line: string) => void;
  /** How the store is opened (default 'create'): see STORE_ACCESS. */
  access?: StoreAccess;
}

/**
 * Opens the store as `access` says (see STORE_ACCESS): writers create it and bring an older one up to date; readers
 * open it read-only and never create, migrate or change it (a missing store is an error, or with 'read-or-empty'
 * an empty store held in memory). SQLite may still add its -wal and -shm files beside it: a WAL reader needs them.
 */
export function openDb(storeDir: string, opts: OpenDbOptions = {}): Db {
  const access = opts.access ?? 'create';
  const log = opts.log ?? (() => {});
  const file = join(storeDir, 'localrag.sqlite');
  const exists = existsSync(file);
  const readOnly = access === 'read' || access === 'read-or-empty';
  if (!exists && access === 'read-or-empty') return prepare(new Database(':memory:', driverOptions()), storeDir, false, log);
  if (!exists && access !== 'create') throw storeMissing(storeDir);
  if (access === 'create') mkdirSync(storeDir, { recursive: true });
  return prepare(new Database(file, { ...driverOptions(), readonly: readOnly, fileMustExist: access !== 'create' }), storeDir, readOnly, log);
}

function driverOptions(): Database.Options {
  const nativeBinding = process.env.LOCALRAG_SQLITE_BINDING;
  return nativeBinding ? { nativeBinding } : {};
}

function prepare(db: Db, storeDir: string, readOnly: boolean, log: (line: string) => void): Db {
  try {
    registerFulltext(db);
    if (!readOnly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // A file that holds no store yet (one a crash left empty) is, to a reader, no store at all.
    if (readOnly && db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'meta'").pluck().get() === 0) throw storeMissing(storeDir);
    if (!readOnly) db.exec(SCHEMA_V1);
    const version = getMeta(db, 'schema_version');
    // SCHEMA above is version 1; a new store takes the same migration steps as an old one, so both end alike.
    if (version === null && !readOnly) setMeta(db, 'schema_version', '1');
    const current = Number(version ?? 1);
    if (current > SCHEMA_VERSION) throw storeTooNew(storeDir, current, SCHEMA_VERSION);
    if (current < SCHEMA_VERSION && readOnly) throw storeNeedsUpgrade(storeDir, current, SCHEMA_VERSION);
    if (current < SCHEMA_VERSION) migrate(db, current, log);
    return db;
  } catch (err) {
    db.close();
    throw isDiskFull(err, storeDir) ? diskFull(storeDir, 'opening the store', [err]) : err;
  }
}

export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
