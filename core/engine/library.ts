// The user's folders: remembered in SQLite, indexed one run at a time, and kept current by a file watcher.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IndexProgress, IndexSummary } from '../contract/api.js';
import type { Settings } from '../contract/settings.js';
import { indexFolders } from '../ingest/indexer.js';
import { ownDirRefusal, type OwnDirs } from '../ingest/own-dirs.js';
import { watchFolders } from '../ingest/watch.js';
import type { Db } from '../store/db.js';
import { removeDocument } from '../store/documents.js';
import { acquireWriterLock } from '../store/writer-lock.js';
import type { ModelRuntime } from './runtime.js';
import type { Embedder } from '../embed/embedder.js';
import { AppErrorException } from '../contract/app-error.js';
import { CancelledError } from '../host/app-error.js';
import { EmbedThread, passagesOffThread } from '../host/embed-thread.js';
import { resolveModelDir } from '../models/index.js';

export class EngineError extends AppErrorException {}

/** The full path of a folder that exists, or the error that says it does not. */
export function existingFolder(path: string): string {
  const folder = resolve(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new EngineError({ code: 'not-a-folder', message: `${folder} is not a folder that exists.`, action: 'Pick an existing folder.', params: { path: folder } });
  }
  return folder;
}

export class Library {
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: { close(): Promise<void> } | null = null;
  private pendingWatch = new Set<string>();
  /** Folders removed since this engine opened (and not added again): runs queued before the removal skip them. */
  private readonly removed = new Set<string>();
  private watchTimer: NodeJS.Timeout | null = null;
  progress: IndexProgress | null = null;
  lastSummary: IndexSummary | null = null;
  /** Fires when the engine closes: queued and running index runs stop at the next file. */
  private readonly closing = new AbortController();
  /** The run that is indexing now, so it can be cancelled by its id (or by removing one of its folders). */
  private current: { runId: string | null; controller: AbortController; folders: string[] } | null = null;
  /** The passage-embedding thread of the current embedder (see host/embed-thread.ts), kept between runs. */
  private embedThread: { key: string; thread: Promise<EmbedThread | null> } | null = null;

  constructor(
    private readonly db: Db,
    private readonly runtime: ModelRuntime,
    private readonly getSettings: () => Settings,
    private readonly onProgress: (p: IndexProgress) => void,
    private readonly log: (line: string) => void,
    private readonly maxFileBytes?: number,
    /** The store and models folders: excluded from every indexed folder, and refused as folders to index. */
    private readonly ownDirs?: OwnDirs,
  ) {}

  folders(): string[] {
    return this.db.prepare('SELECT path FROM folders ORDER BY added_at, path').pluck().all() as string[];
  }

  add(path: string): string {
    const folder = existingFolder(path);
    const refusal = this.ownDirs ? ownDirRefusal(folder, this.ownDirs) : null;
    if (refusal) throw new EngineError(refusal);
    this.db.prepare('INSERT OR IGNORE INTO folders(path, added_at) VALUES (?, ?)').run(folder, new Date().toISOString());
    this.removed.delete(folder);
    return folder;
  }

  /**
   * Forgets a folder: its documents, chunks and vectors leave the index. A run indexing it is stopped first (a
   * folder added by mistake, a whole disk, goes at once instead of after it is indexed); that run's other folders
   * are indexed again afterwards, from where it stopped.
   */
  async remove(path: string): Promise<void> {
    const folder = resolve(path);
    const cut = this.current?.folders.includes(folder) ? this.current : null;
    cut?.controller.abort();
    this.removed.add(folder);
    await this.enqueue(() => this.asWriter('removing a folder', undefined, async () => {
      const dense = await this.runtime.denseRuntime();
      // One transaction (each document's is nested in it): a crash part-way never leaves the folder listed with
      // part of its files gone. The vector index follows after the commit (it is checked against SQLite at open).
      const removed = this.db.transaction(() => {
        const paths = this.db.prepare('SELECT path FROM documents WHERE folder = ?').pluck().all(folder) as string[];
        const ids = paths.flatMap((p) => removeDocument(this.db, p));
        this.db.prepare('DELETE FROM folders WHERE path = ?').run(folder);
        return ids;
      }).immediate();
      if (dense.ok) {
        dense.value.vectors.remove(removed);
        dense.value.vectors.save();
      }
    }));
    await this.restartWatcher();
    const rest = cut ? cut.folders.filter((f) => !this.removed.has(f)) : [];
    if (rest.length > 0) {
      this.index(rest).catch((err) => { if (!(err instanceof CancelledError)) this.log(`indexing after a removal failed: ${(err as Error).message}`); });
    }
  }

  /**
   * Indexes the given folders (default: all), after any run already queued. Cancelling (by run id, by the
   * caller's signal, or by closing the engine) stops at the next file: what is indexed stays, and the next run
   * resumes from there. A cancelled run returns its summary with `cancelled: true`.
   */
  index(folders: string[] = this.folders(), signal?: AbortSignal): Promise<IndexSummary> {
    const controller = new AbortController();
    const stop = AbortSignal.any([controller.signal, this.closing.signal, ...(signal ? [signal] : [])]);
    return this.enqueue(async () => {
      if (stop.aborted) throw new CancelledError('Indexing');
      // A folder removed while this run waited in the queue is not indexed back in.
      folders = folders.filter((f) => !this.removed.has(f));
      this.current = { runId: null, controller, folders };
      try {
        return await this.asWriter('indexing', stop, async () => {
          const dense = await this.runtime.denseForIndexing();
          const summary = await indexFolders(folders, {
            db: this.db,
            embedder: dense.ok ? this.passageEmbedder(dense.value.embedder) : null,
            vectors: dense.ok ? dense.value.vectors : null,
            dense: dense.ok ? { status: 'ok' } : { status: 'model-missing', error: dense.error },
            settings: this.getSettings(),
            onProgress: (p) => {
              if (this.current?.controller === controller) this.current.runId = p.runId;
              this.progress = p;
              this.onProgress(p);
            },
            signal: stop,
            maxFileBytes: this.maxFileBytes,
            ownDirs: this.ownDirs,
          });
          // A collection that grew past the approximate index's bound is moved to it in the background; the run
          // (and the writer lock) ends when that is saved, so the switch never stays half done.
          if (dense.ok) await dense.value.vectors.settled();
          this.runtime.finishReembedding();
          if (this.progress?.runId === summary.runId && this.progress.phase === 'cancelled') summary.cancelled = true;
          this.lastSummary = summary;
          return summary;
        });
      } finally {
        if (this.current?.controller === controller) this.current = null;
      }
    });
  }

  /** The runtime's embedder, with large groups of passages embedded on a thread of their own. */
  private passageEmbedder(local: Embedder): Embedder {
    const modelsDir = this.ownDirs?.models;
    if (!modelsDir || process.env.LOCALRAG_EMBED_THREAD === '0') return local;
    const s = this.getSettings();
    const thread = () => {
      if (this.embedThread?.key !== local.key) {
        void this.closeEmbedThread();
        // Where the engine's session settled on the CPU the thread does not probe GPUs again (and so cannot differ).
        const provider = local.provider === 'cpu' ? 'cpu' : s.executionProvider;
        const settings = { executionProvider: provider, preferQuantized: s.preferQuantized, embedBatchSize: s.embedBatchSize };
        const started = EmbedThread.start({ id: s.embedderModel, modelDir: resolveModelDir(modelsDir, s.embedderModel), settings, padId: local.tokenizer.padId }).catch((err: unknown) => {
          this.log(`embedding thread unavailable, embedding in the engine's thread: ${(err as Error).message}`);
          return null;
        });
        this.embedThread = { key: local.key, thread: started };
      }
      return this.embedThread.thread;
    };
    return passagesOffThread(local, s.embedBatchSize, thread);
  }

  private async closeEmbedThread(): Promise<void> {
    const t = this.embedThread;
    this.embedThread = null;
    await (await t?.thread)?.close();
  }

  /** Cancels the index run with this id (the runId of its progress events); false when no such run is running. */
  cancel(runId: string): boolean {
    if (!this.current || this.current.runId !== runId) return false;
    this.current.controller.abort();
    return true;
  }

  /** Runs a write task holding the store's writer lock, so another localrag process on the same store waits its turn. */
  private async asWriter<T>(purpose: string, signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    const lock = await acquireWriterLock(this.db, {
      purpose, signal,
      onWait: (h) => this.log(`another localrag (pid ${h.pid}, ${h.purpose}) is indexing this store; waiting…`),
    });
    try {
      return await task();
    } finally {
      lock.release();
    }
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Watches every folder; a burst of changes becomes one incremental run of the folders touched. */
  async restartWatcher(): Promise<void> {
    await this.watcher?.close();
    const folders = this.folders();
    this.watcher = folders.length ? watchFolders(folders, (changes) => {
      for (const p of [...changes.changed, ...changes.removed]) {
        const folder = folders.find((f) => p === f || p.startsWith(f + '/') || p.startsWith(f + '\\'));
        if (folder) this.pendingWatch.add(folder);
      }
      this.watchTimer ??= setTimeout(() => {
        const touched = [...this.pendingWatch];
        this.pendingWatch.clear();
        this.watchTimer = null;
        this.index(touched).catch((err) => {
          if (!(err instanceof CancelledError)) this.log(`watcher re-index failed: ${(err as Error).message}`);
        });
      }, 50);
    }, { ownDirs: this.ownDirs }) : null;
  }

  /** Cancels queued and running index runs first, then waits for them to stop. */
  async close(): Promise<void> {
    this.closing.abort();
    if (this.watchTimer) clearTimeout(this.watchTimer);
    await this.watcher?.close();
    this.watcher = null;
    await this.queue;
    await this.closeEmbedThread();
  }
}
