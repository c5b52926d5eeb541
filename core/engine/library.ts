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
import { AppErrorException } from '../contract/app-error.js';

export class EngineError extends AppErrorException {}

export class Library {
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: { close(): Promise<void> } | null = null;
  private pendingWatch = new Set<string>();
  private watchTimer: NodeJS.Timeout | null = null;
  progress: IndexProgress | null = null;
  lastSummary: IndexSummary | null = null;

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
    const folder = resolve(path);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new EngineError({ code: 'not-a-folder', message: `${folder} is not a folder that exists.`, action: 'Pick an existing folder.' });
    }
    const refusal = this.ownDirs ? ownDirRefusal(folder, this.ownDirs) : null;
    if (refusal) throw new EngineError(refusal);
    this.db.prepare('INSERT OR IGNORE INTO folders(path, added_at) VALUES (?, ?)').run(folder, new Date().toISOString());
    return folder;
  }

  /** Forgets a folder: its documents, chunks and vectors leave the index. */
  async remove(path: string): Promise<void> {
    const folder = resolve(path);
    await this.enqueue(() => this.asWriter('removing a folder', undefined, async () => {
      const dense = await this.runtime.denseRuntime();
      const paths = this.db.prepare('SELECT path FROM documents WHERE folder = ?').pluck().all(folder) as string[];
      for (const p of paths) {
        const removed = removeDocument(this.db, p);
        if (dense.ok) dense.value.vectors.remove(removed);
      }
      if (dense.ok) dense.value.vectors.save();
      this.db.prepare('DELETE FROM folders WHERE path = ?').run(folder);
    }));
    await this.restartWatcher();
  }

  /** Indexes the given folders (default: all), after any run already queued. */
  index(folders: string[] = this.folders(), signal?: AbortSignal): Promise<IndexSummary> {
    return this.enqueue(() => this.asWriter('indexing', signal, async () => {
      const dense = await this.runtime.denseForIndexing();
      const summary = await indexFolders(folders, {
        db: this.db,
        embedder: dense.ok ? dense.value.embedder : null,
        vectors: dense.ok ? dense.value.vectors : null,
        dense: dense.ok ? { status: 'ok' } : { status: 'model-missing', error: dense.error },
        settings: this.getSettings(),
        onProgress: (p) => { this.progress = p; this.onProgress(p); },
        signal,
        maxFileBytes: this.maxFileBytes,
        ownDirs: this.ownDirs,
      });
      // A collection that grew past the approximate index's bound is moved to it in the background; the run
      // (and the writer lock) ends when that is saved, so the switch never stays half done.
      if (dense.ok) await dense.value.vectors.settled();
      this.runtime.finishReembedding();
      this.lastSummary = summary;
      return summary;
    }));
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
        this.index(touched).catch((err) => this.log(`watcher re-index failed: ${(err as Error).message}`));
      }, 50);
    }, { ownDirs: this.ownDirs }) : null;
  }

  async close(): Promise<void> {
    if (this.watchTimer) clearTimeout(this.watchTimer);
    await this.watcher?.close();
    this.watcher = null;
    await this.queue;
  }
}
