// The SQLite file: documents, chunks (+ FTS5 for BM25), stored vectors, settings, history and a run log.
// SQLite is the source of truth; the FAISS file beside it is a derived index that start-up checks and repairs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;


const SCHEMA = `
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
const MIGRATIONS: { version: number; why: string; up: (db: Db) => void }[] = [
  {
    version: 2,
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
    version: 3,
    why: 'the stable code of why a file was not indexed, so the interface can say it in the user\'s language',
    up: (db) => db.exec('ALTER TABLE documents ADD COLUMN reason_code TEXT'),
  },
];

const SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 1);

function migrate(db: Db, from: number): void {
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    db.transaction(() => {
      m.up(db);
      setMeta(db, 'schema_version', String(m.version));
    })();
  }
}

export function openDb(storeDir: string): Db {
  mkdirSync(storeDir, { recursive: true });
  const nativeBinding = process.env.LOCALRAG_SQLITE_BINDING;
  const db = new Database(join(storeDir, 'localrag.sqlite'), nativeBinding ? { nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const version = getMeta(db, 'schema_version');
  // SCHEMA above is version 1; a new store takes the same migration steps as an old one, so both end alike.
  if (version === null) setMeta(db, 'schema_version', '1');
  const current = Number(version ?? 1);
  if (current > SCHEMA_VERSION) {
    throw new Error(`this store was written by a newer localrag (schema ${current} > ${SCHEMA_VERSION}); update the app`);
  }
  if (current < SCHEMA_VERSION) migrate(db, current);
  return db;
}

export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
