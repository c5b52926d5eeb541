// The indexing run: walk -> (changed files only) parse -> chunk -> store text -> embed -> store vectors.
// Every document is committed in its own transaction and vectors are added for chunks that lack them, so a run
// killed at any moment resumes where it stopped: nothing committed is lost and nothing is added twice.
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import type { AppError, IndexProgress, IndexSummary, FileStatus, ComponentState } from '../contract/api.js';
import type { Settings } from '../contract/settings.js';
import type { Embedder } from '../embed/embedder.js';
import type { Db } from '../store/db.js';
import { documentsIn, markSkipped, removeDocument, replaceDocument, getDocument, type DocumentInfo } from '../store/documents.js';
import { diskFull, isDiskFull } from '../store/store-errors.js';
import { chunksWithoutVectors, countChunksWithoutVectors, storeVectors, type VectorIndex } from '../store/vector-index.js';
import { approxTokenCounter, chunkDocument } from './chunk.js';
import { parseFile, type ParseOptions } from './parse/index.js';
import type { OwnDirs } from './own-dirs.js';
import { ProgressEstimate } from './progress-estimate.js';
import { walkFolder } from './walk.js';

export interface IndexerDeps {
  db: Db;
  embedder: Embedder | null;
  vectors: VectorIndex | null;
  dense: ComponentState;
  settings: Pick<Settings, 'chunkTokens' | 'chunkOverlap' | 'embedBatchSize'>;
  onProgress?: (p: IndexProgress) => void;
  signal?: AbortSignal;
  maxFileBytes?: number;
  /** localrag's store and models folders: never indexed, even inside an indexed folder. */
  ownDirs?: OwnDirs;
  /** What parsing one file may cost (defaults in parse/budget.ts). */
  parse?: Pick<ParseOptions, 'budget' | 'inline'>;
}

const SAVE_EVERY_MS = 30_000;

/** Identifies how chunks were cut: a document cut another way is re-chunked on the next run. */
export function chunkerKey(embedder: Embedder | null, s: IndexerDeps['settings']): string {
  return `${embedder ? embedder.profile.id : 'approx'}:${s.chunkTokens}:${s.chunkOverlap}`;
}

/** What a failed run reports: on a full disk one disk-full error naming every failure (SQLite's first), else the first. */
function stoppedBy(errors: unknown[], storeDir: string): unknown {
  return errors.some((e) => isDiskFull(e, storeDir)) ? diskFull(storeDir, 'indexing', errors) : errors[0];
}

export async function indexFolders(folders: string[], deps: IndexerDeps): Promise<IndexSummary> {
  const runId = randomUUID();
  const started = performance.now();
  const { db } = deps;
  db.prepare('INSERT INTO runs(id, kind, started_at, provider) VALUES (?, ?, ?, ?)').run(runId, 'index', new Date().toISOString(), deps.embedder?.provider ?? null);
  const summary: IndexSummary = {
    runId, filesSeen: 0, filesIndexed: 0, filesUnchanged: 0, filesRemoved: 0, filesSkipped: 0, chunksAdded: 0,
    chunksRemoved: 0, vectorsAdded: 0, ms: 0, provider: deps.embedder?.provider ?? null, skipped: [], dense: deps.dense,
  };
  const progress: IndexProgress = {
    runId, phase: 'scanning', filesDone: 0, filesTotal: 0, chunksDone: 0, chunksTotal: countChunksWithoutVectors(db),
    chunksPerSecond: 0, etaSeconds: null, skipped: 0,
  };
  const estimate = new ProgressEstimate(Boolean(deps.embedder && deps.vectors), () => performance.now(), started);
  const emit = () => {
    Object.assign(progress, estimate.estimate(progress));
    deps.onProgress?.({ ...progress });
  };
  const key = chunkerKey(deps.embedder, deps.settings);
  const counter = deps.embedder ? deps.embedder.tokenizer : approxTokenCounter;
  const chunkOpts = {
    chunkTokens: deps.settings.chunkTokens, overlapTokens: deps.settings.chunkOverlap,
    prefixTokens: deps.embedder?.prefixTokens ?? 0, maxModelTokens: deps.embedder?.profile.maxLength ?? 512,
  };
  let lastSave = performance.now();
  // Chunks still without a vector, kept in memory: counting them in SQLite after every file would scan the table.
  let pending = progress.chunksTotal;
  const dropVectors = (ids: number[]) => { deps.vectors?.remove(ids); summary.chunksRemoved += ids.length; };
  const embedPending = async (all: boolean) => {
    if (!deps.embedder || !deps.vectors) return;
    // Large groups: the embedder sorts each group by length, so bigger groups mean less padding per batch.
    const batch = deps.settings.embedBatchSize * 16;
    for (;;) {
      if (!all && pending < batch) return;
      const rows = chunksWithoutVectors(db, batch);
      pending = rows.length < batch ? 0 : Math.max(0, pending - rows.length);
      if (rows.length === 0) return;
      progress.phase = 'embedding';
      const embedStart = performance.now();
      const vectors = await deps.embedder.embedPassages(rows.map((r) => r.text));
      estimate.embedded(performance.now() - embedStart, rows.length);
      storeVectors(db, rows.map((r) => r.id), vectors);
      deps.vectors.add(rows.map((r) => r.id), vectors);
      summary.vectorsAdded += rows.length;
      progress.chunksDone += rows.length;
      if (performance.now() - lastSave > SAVE_EVERY_MS) { deps.vectors.save(); lastSave = performance.now(); }
      emit();
      if (deps.signal?.aborted) return;
    }
  };

  let failure: unknown;
  try {
    for (const folder of folders) {
      emit();
      const known = documentsIn(db, folder);
      const entries = [];
      for await (const entry of walkFolder(folder, { maxFileBytes: deps.maxFileBytes, ownDirs: deps.ownDirs })) entries.push(entry);
      progress.filesTotal += entries.length;
      summary.filesSeen += entries.length;
      progress.phase = 'indexing';
      const seen = new Set(entries.map((e) => e.path));
      for (const path of known.keys()) {
        if (!seen.has(path)) { dropVectors(removeDocument(db, path)); summary.filesRemoved++; }
      }
      for (const entry of entries) {
        if (deps.signal?.aborted) break;
        progress.currentFile = entry.relPath;
        const fileStart = performance.now();
        const chunksBefore = progress.chunksTotal;
        const info: DocumentInfo = { path: entry.path, folder, hash: null, size: 'size' in entry ? entry.size ?? 0 : 0, mtimeMs: 'mtimeMs' in entry ? entry.mtimeMs ?? 0 : 0 };
        if ('skipped' in entry && entry.skipped) {
          dropVectors(markSkipped(db, info, 'skipped', entry.reason, entry.problem));
          noteSkipped(summary, progress, info.path, entry.reason, entry.problem);
        } else {
          await indexOne(info, known.get(entry.path));
        }
        progress.filesDone++;
        estimate.fileDone(performance.now() - fileStart, progress.chunksTotal - chunksBefore);
        emit();
        await embedPending(false);
      }
    }
    if (!deps.signal?.aborted) await embedPending(true);
    progress.phase = deps.signal?.aborted ? 'cancelled' : 'done';
  } catch (err) {
    failure = err;
  }
  // The index is saved and the run recorded however the run ended. On a full disk those fail too: the error that
  // stopped the run stays the one reported, with theirs beside it, never replaced by them.
  const errors: unknown[] = failure === undefined ? [] : [failure];
  try { deps.vectors?.save(); } catch (err) { errors.push(err); }
  const stopped = errors.length ? stoppedBy(errors, dirname(db.name)) : undefined;
  if (stopped !== undefined) {
    progress.phase = 'error';
    progress.error = (stopped as { appError?: AppError }).appError
      ?? { code: 'index-failed', message: `Indexing stopped: ${(stopped as Error).message}`, action: 'Fix the cause and re-index; finished files are kept.' };
  }
  summary.ms = performance.now() - started;
  progress.currentFile = undefined;
  Object.assign(progress, estimate.estimate(progress), { etaSeconds: 0 }, progress.phase === 'done' ? { fractionDone: 1 } : {});
  deps.onProgress?.({ ...progress });
  try {
    db.prepare('UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?').run(new Date().toISOString(), JSON.stringify({ ...summary, skipped: summary.skipped.length }), runId);
  } catch (err) {
    if (stopped === undefined) throw stoppedBy([err], dirname(db.name));
  }
  if (stopped !== undefined) throw stopped;
  return summary;

  async function indexOne(info: DocumentInfo, existing: ReturnType<typeof getDocument> | undefined): Promise<void> {
    if (existing && existing.state === 'indexed' && existing.size === info.size && existing.mtimeMs === info.mtimeMs && existing.chunkerKey === key) {
      summary.filesUnchanged++;
      return;
    }
    // One read per changed file: the parser hashes exactly the bytes it parsed, so the stored hash always
    // describes the stored chunks.
    const parsed = await parseFile(info.path, { ...deps.parse, maxBytes: deps.maxFileBytes });
    if (!parsed.ok) {
      // A file being written is not broken: it stays pending and the next run (or the watcher) takes it again.
      const state = parsed.code === 'changed-during-read' ? 'pending' : parsed.code === 'empty' ? 'skipped' : 'error';
      dropVectors(markSkipped(db, info, state, parsed.reason, parsed.problem));
      noteSkipped(summary, progress, info.path, parsed.reason, parsed.problem);
      return;
    }
    info.hash = parsed.sha256;
    info.note = parsed.notes[0];
    if (existing && existing.state === 'indexed' && existing.hash === parsed.sha256 && existing.chunkerKey === key) {
      // Touched but not changed: keep its chunks and vectors.
      db.prepare('UPDATE documents SET size = ?, mtime_ms = ? WHERE id = ?').run(info.size, info.mtimeMs, existing.id);
      summary.filesUnchanged++;
      return;
    }
    const chunks = chunkDocument(parsed.doc, counter, chunkOpts);
    const { removed, added } = replaceDocument(db, { ...info, kind: parsed.doc.kind, title: parsed.doc.title }, chunks, key);
    dropVectors(removed);
    summary.chunksAdded += added.length;
    summary.filesIndexed++;
    if (deps.embedder) { progress.chunksTotal += added.length; pending += added.length; }
  }
}

function noteSkipped(summary: IndexSummary, progress: IndexProgress, path: string, reason: string, problem: AppError): void {
  const status: FileStatus = { path, state: 'skipped', reason, chunks: 0, bytes: 0, problem };
  summary.skipped.push(status);
  summary.filesSkipped++;
  progress.skipped++;
}
