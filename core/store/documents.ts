// Documents and their chunks in SQLite. A document's chunks are replaced in one transaction, so a crash leaves
// either the old chunks or the new ones, never half of each. Write transactions are IMMEDIATE: they take the write
// lock when they start, so a second process waits (busy_timeout) instead of failing with SQLITE_BUSY_SNAPSHOT.
// Each write folds its chunk changes into BM25's postings before it commits (core/store/postings.ts).
import type { AppError, FileState, FileStatus, Passage } from '../contract/api.js';
import type { Chunk } from '../ingest/chunk.js';
import type { Db } from './db.js';
import { syncPostings } from './postings.js';

export interface StoredDocument {
  id: number;
  path: string;
  folder: string;
  hash: string | null;
  size: number;
  mtimeMs: number;
  state: FileState;
  reason: string | null;
  chunkerKey: string | null;
  chunks: number;
}

/** What the chunker produces is what the store keeps. */
export type NewChunk = Chunk;

export interface DocumentInfo {
  path: string;
  folder: string;
  kind?: string;
  title?: string;
  hash: string | null;
  size: number;
  mtimeMs: number;
  /** What to know about how it was indexed (e.g. decoded with losses). */
  note?: AppError;
}

interface DocumentRow {
  id: number; path: string; folder: string; hash: string | null; size: number; mtime_ms: number;
  state: FileState; reason: string | null; chunker_key: string | null; chunks: number; indexed_at: string | null;
  problem?: string | null; note?: string | null;
}

const toJson = (e: AppError | undefined): string | null => (e ? JSON.stringify(e) : null);
function fromJson(json: string | null | undefined): AppError | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as AppError;
  } catch {
    return undefined;
  }
}

const toDocument = (r: DocumentRow): StoredDocument => ({
  id: r.id, path: r.path, folder: r.folder, hash: r.hash, size: r.size, mtimeMs: r.mtime_ms, state: r.state,
  reason: r.reason, chunkerKey: r.chunker_key, chunks: r.chunks,
});

export function documentsIn(db: Db, folder: string): Map<string, StoredDocument> {
  const rows = db.prepare('SELECT * FROM documents WHERE folder = ?').all(folder) as DocumentRow[];
  return new Map(rows.map((r) => [r.path, toDocument(r)]));
}

export function getDocument(db: Db, path: string): StoredDocument | null {
  const row = db.prepare('SELECT * FROM documents WHERE path = ?').get(path) as DocumentRow | undefined;
  return row ? toDocument(row) : null;
}

function chunkIdsOf(db: Db, documentId: number): number[] {
  return (db.prepare('SELECT id FROM chunks WHERE document_id = ?').pluck().all(documentId) as number[]);
}

/** Replaces a document's chunks; returns the ids of the chunks removed (their vectors go with them). */
export function replaceDocument(db: Db, info: DocumentInfo, chunks: NewChunk[], chunkerKey: string): { documentId: number; removed: number[]; added: number[] } {
  return db.transaction(() => {
    const existing = getDocument(db, info.path);
    const removed = existing ? chunkIdsOf(db, existing.id) : [];
    if (existing) db.prepare('DELETE FROM chunks WHERE document_id = ?').run(existing.id);
    const now = new Date().toISOString();
    const row = db.prepare(`INSERT INTO documents(path, folder, kind, title, hash, size, mtime_ms, state, reason, chunker_key, chunks, indexed_at, problem, note)
      VALUES (@path, @folder, @kind, @title, @hash, @size, @mtimeMs, 'indexed', NULL, @chunkerKey, @chunks, @now, NULL, @note)
      ON CONFLICT(path) DO UPDATE SET folder=excluded.folder, kind=excluded.kind, title=excluded.title, hash=excluded.hash,
        size=excluded.size, mtime_ms=excluded.mtime_ms, state='indexed', reason=NULL, chunker_key=excluded.chunker_key,
        chunks=excluded.chunks, indexed_at=excluded.indexed_at, problem=NULL, note=excluded.note
      RETURNING id`).get({ ...info, kind: info.kind ?? null, title: info.title ?? null, chunkerKey, chunks: chunks.length, now, note: toJson(info.note) }) as { id: number };
    const insert = db.prepare(`INSERT INTO chunks(document_id, ord, text, char_start, char_end, page, heading_path, token_count)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const added = chunks.map((c, i) => Number(insert.run(row.id, i, c.text, c.charStart, c.charEnd, c.page, JSON.stringify(c.headingPath), c.tokenCount).lastInsertRowid));
    syncPostings(db);
    return { documentId: row.id, removed, added };
  }).immediate();
}

/** Records a file that was not indexed, with the reason the user will see; drops any chunks it had. */
export function markSkipped(db: Db, info: DocumentInfo, state: 'skipped' | 'error' | 'pending', reason: string, problem?: AppError): number[] {
  return db.transaction(() => {
    const existing = getDocument(db, info.path);
    const removed = existing ? chunkIdsOf(db, existing.id) : [];
    if (existing) db.prepare('DELETE FROM chunks WHERE document_id = ?').run(existing.id);
    db.prepare(`INSERT INTO documents(path, folder, hash, size, mtime_ms, state, reason, chunks, indexed_at, problem, note)
      VALUES (@path, @folder, @hash, @size, @mtimeMs, @state, @reason, 0, @now, @problem, NULL)
      ON CONFLICT(path) DO UPDATE SET hash=excluded.hash, size=excluded.size, mtime_ms=excluded.mtime_ms,
        state=excluded.state, reason=excluded.reason, chunks=0, chunker_key=NULL, indexed_at=excluded.indexed_at,
        problem=excluded.problem, note=NULL`)
      .run({ path: info.path, folder: info.folder, hash: info.hash, size: info.size, mtimeMs: info.mtimeMs, state, reason, now: new Date().toISOString(), problem: toJson(problem) });
    syncPostings(db);
    return removed;
  }).immediate();
}

export function removeDocument(db: Db, path: string): number[] {
  return db.transaction(() => {
    const existing = getDocument(db, path);
    if (!existing) return [];
    const removed = chunkIdsOf(db, existing.id);
    db.prepare('DELETE FROM documents WHERE id = ?').run(existing.id);
    syncPostings(db);
    return removed;
  }).immediate();
}

export function listFiles(db: Db, state?: FileState): FileStatus[] {
  const rows = (state
    ? db.prepare('SELECT * FROM documents WHERE state = ? ORDER BY path').all(state)
    : db.prepare('SELECT * FROM documents ORDER BY path').all()) as DocumentRow[];
  return rows.map((r) => ({
    path: r.path, state: r.state, reason: r.reason ?? undefined, chunks: r.chunks, bytes: r.size,
    indexedAt: r.indexed_at ?? undefined,
    ...(r.problem ? { problem: fromJson(r.problem) } : {}),
    ...(r.note ? { note: fromJson(r.note) } : {}),
  }));
}

interface ChunkRow {
  id: number; document_id: number; path: string; page: number | null; heading_path: string;
  char_start: number; char_end: number; text: string;
}

const toPassage = (r: ChunkRow): Passage => ({
  chunkId: r.id, documentId: r.document_id, path: r.path, page: r.page, headingPath: JSON.parse(r.heading_path),
  charStart: r.char_start, charEnd: r.char_end, text: r.text,
});

/** Passages by chunk id, in the order asked; unknown ids are left out. */
export function getPassages(db: Db, ids: number[]): Passage[] {
  if (ids.length === 0) return [];
  const rows = db.prepare(`SELECT c.id, c.document_id, d.path, c.page, c.heading_path, c.char_start, c.char_end, c.text
    FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as ChunkRow[];
  const byId = new Map(rows.map((r) => [r.id, toPassage(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export function counts(db: Db): { documents: number; chunks: number; vectors: number } {
  return db.prepare(`SELECT (SELECT count(*) FROM documents WHERE state = 'indexed') AS documents,
    (SELECT count(*) FROM chunks) AS chunks, (SELECT count(*) FROM vectors) AS vectors`).get() as { documents: number; chunks: number; vectors: number };
}
