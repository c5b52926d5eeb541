// Model sessions for one engine: created once when first needed, reused for every question, closed on shutdown
// or when a setting that shapes them changes. A missing model is a state with a message, never a crash.
// Stored vectors are replaced only by index runs (denseForIndexing): a read whose embedder did not make the stored
// vectors (another model, new weights, a one-command --embedder) answers with BM25 and says why.
import type { AppError, ComponentState } from '../contract/api.js';
import type { Settings } from '../contract/settings.js';
import type { VectorState } from '../contract/vocabulary.js';
import { AppErrorException } from '../contract/app-error.js';
import { Embedder } from '../embed/embedder.js';
import { modelStatus, resolveModelDir, missingModelError } from '../models/index.js';
import type { Db } from '../store/db.js';
import { getMeta } from '../store/db.js';
import { VectorIndex, type RepairReport } from '../store/vector-index.js';

export interface DenseRuntime {
  embedder: Embedder;
  vectors: VectorIndex;
  repair: RepairReport;
}

type Loaded<T> = { ok: true; value: T } | { ok: false; error: AppError };

const KEY = 'embedder_key';
/** Set while an index run re-embeds every chunk for a new embedder; cleared when no chunk lacks a vector. */
export const REEMBED_KEY = 'reembedding_from';

/** The model id part of an embedder key (`id:fingerprint:dim:pooling:prefix`). */
const modelOfKey = (key: string) => key.split(':')[0] ?? key;

/** A present embedder whose vectors cannot be used is 'unavailable'; anything else means the model is missing. */
export const denseStatusOf = (e: AppError): 'model-missing' | 'unavailable' => (e.code === 'vectors-from-other-embedder' ? 'unavailable' : 'model-missing');

export class ModelRuntime {
  private embedder: Promise<Loaded<Embedder>> | null = null;
  private vectors: { key: string; index: VectorIndex; repair: RepairReport } | null = null;

  constructor(
    private readonly db: Db,
    private readonly storeDir: string,
    private readonly modelsDir: string,
    private readonly getSettings: () => Settings,
    private readonly log: (line: string) => void,
  ) {}

  /** The embedder alone (loaded once), whether or not the stored vectors are its own. */
  embedderNow(): Promise<Loaded<Embedder>> {
    this.embedder ??= this.loadEmbedder();
    return this.embedder;
  }

  private async loadEmbedder(): Promise<Loaded<Embedder>> {
    const s = this.getSettings();
    const status = modelStatus(this.modelsDir, s.embedderModel, 'embedder');
    if (!status.present) return { ok: false, error: missingModelError(s.embedderModel, 'embedder') };
    try {
      return { ok: true, value: await Embedder.load({ id: s.embedderModel, modelDir: resolveModelDir(this.modelsDir, s.embedderModel), settings: s, log: this.log }) };
    } catch (err) {
      if (err instanceof AppErrorException) return { ok: false, error: err.appError }; // says what to do already
      return { ok: false, error: { code: 'embedder-failed', message: `The embedder ${s.embedderModel} could not start: ${(err as Error).message}`, action: 'Re-download or re-import the model in Library > Models.', params: { model: s.embedderModel } } };
    }
  }

  /** True when the stored vectors were made by this embedder (or there are none yet). */
  private matches(key: string): boolean {
    const stored = getMeta(this.db, KEY);
    if (stored === key) return true;
    return stored === null && (this.db.prepare('SELECT count(*) FROM vectors').pluck().get() as number) === 0;
  }

  private staleError(embedder: Embedder): AppError {
    const stored = getMeta(this.db, KEY);
    const storedModel = stored ? modelOfKey(stored) : 'an earlier version';
    const model = embedder.profile.id;
    const same = storedModel === model;
    return {
      code: 'vectors-from-other-embedder',
      message: same
        ? `The stored vectors were made by other weights of ${model}: dense retrieval is off and BM25 alone answers.`
        : `The stored vectors were made by ${storedModel}, not ${model}: dense retrieval is off and BM25 alone answers.`,
      action: same || this.getSettings().embedderModel === model
        ? 'Run `localrag index` (or Library > Re-index) to re-embed every chunk.'
        : `Use the embedder the store was indexed with, or run \`localrag index --embedder ${model}\` to re-embed.`,
      params: { storedModel, model },
    };
  }

  /**
   * The vector index for this key, opened once and caught up with other processes' changes on every use. A read
   * repairs it in memory only; the saved files are rewritten by writers (an index run saves what a read repaired).
   */
  private openVectors(embedder: Embedder, forWriting: boolean): { vectors: VectorIndex; repair: RepairReport } {
    if (this.vectors?.key !== embedder.key) {
      this.vectors?.index.close();
      const { index, repair } = VectorIndex.open(this.db, this.storeDir, embedder.dim, { inspectOnly: !forWriting });
      if (repair.orphansRemoved || repair.missingAdded || repair.staleReplaced) { // a rebuild adds every stored vector
        const saved = forWriting ? '' : ' in memory, for this read (the next index run or `localrag doctor` saves the repair)';
        this.log(`vectors: repaired the vector index${saved} (rebuilt: ${repair.rebuilt}, orphans removed: ${repair.orphansRemoved}, stale replaced: ${repair.staleReplaced}, missing added: ${repair.missingAdded})`);
      }
      this.vectors = { key: embedder.key, index, repair };
    } else {
      this.vectors.index.refresh();
    }
    return { vectors: this.vectors.index, repair: this.vectors.repair };
  }

  /** For reads (search, ask): never changes stored vectors; vectors from another embedder turn dense retrieval off. */
  async denseRuntime(): Promise<Loaded<DenseRuntime>> {
    const e = await this.embedderNow();
    if (!e.ok) return e;
    if (!this.matches(e.value.key)) {
      this.vectors?.index.close();
      this.vectors = null;
      return { ok: false, error: this.staleError(e.value) };
    }
    return { ok: true, value: { embedder: e.value, ...this.openVectors(e.value, false) } };
  }

  /**
   * For index runs only (the caller holds the store's writer lock): vectors made by another embedder are cleared
   * in one transaction, so every stored vector always comes from the key in meta, and the run re-embeds them all.
   */
  async denseForIndexing(): Promise<Loaded<DenseRuntime>> {
    const e = await this.embedderNow();
    if (!e.ok) return e;
    if (!this.matches(e.value.key)) {
      const from = getMeta(this.db, KEY) ?? 'unknown';
      this.log(`vectors: made by ${modelOfKey(from)}; re-embedding every chunk with ${e.value.profile.id}`);
      this.vectors?.index.close();
      this.vectors = null;
      this.db.transaction(() => {
        this.db.exec('DELETE FROM vectors');
        this.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, e.value.key);
        this.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(REEMBED_KEY, from);
      }).immediate();
      VectorIndex.reset(this.storeDir);
    } else if (getMeta(this.db, KEY) === null) {
      this.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(KEY, e.value.key);
    }
    return { ok: true, value: { embedder: e.value, ...this.openVectors(e.value, true) } };
  }

  /** After an index run: the re-embedding is over once no chunk lacks a vector. */
  finishReembedding(): void {
    if (getMeta(this.db, REEMBED_KEY) === null) return;
    const pending = this.db.prepare('SELECT count(*) FROM chunks c LEFT JOIN vectors v ON v.chunk_id = c.id WHERE v.chunk_id IS NULL').pluck().get() as number;
    if (pending === 0) this.db.prepare('DELETE FROM meta WHERE key = ?').run(REEMBED_KEY);
  }

  async denseState(): Promise<ComponentState> {
    const r = await this.denseRuntime();
    return r.ok ? { status: 'ok' } : { status: denseStatusOf(r.error), error: r.error };
  }

  /** Whether the stored vectors belong to the embedder in use (status --json `vectorState`). */
  async vectorState(): Promise<VectorState> {
    const e = await this.embedderNow();
    if (!e.ok) return 'no-embedder';
    if (!this.matches(e.value.key)) return 'stale';
    return getMeta(this.db, REEMBED_KEY) !== null ? 're-embedding' : 'current';
  }

  /** Drops loaded sessions (a model, provider or quantisation setting changed); they reload on next use. */
  async reset(): Promise<void> {
    const e = this.embedder;
    this.embedder = null;
    this.vectors?.index.close();
    this.vectors = null;
    const r = await e;
    if (r?.ok) await r.value.close();
  }

  async close(): Promise<void> {
    await this.reset();
  }
}
