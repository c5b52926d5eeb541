// Model sessions for one engine: created once when first needed, reused for every question, closed on shutdown
// or when a setting that shapes them changes. A missing model is a state with a message, never a crash.
import type { AppError, ComponentState } from '../contract/api.js';
import type { Settings } from '../contract/settings.js';
import { AppErrorException } from '../contract/app-error.js';
import { Embedder } from '../embed/embedder.js';
import { modelStatus, resolveModelDir, missingModelError } from '../models/index.js';
import type { Db } from '../store/db.js';
import { getMeta, setMeta } from '../store/db.js';
import { VectorIndex, type RepairReport } from '../store/vector-index.js';

export interface DenseRuntime {
  embedder: Embedder;
  vectors: VectorIndex;
  repair: RepairReport;
}

type Loaded<T> = { ok: true; value: T } | { ok: false; error: AppError };

export class ModelRuntime {
  private dense: Promise<Loaded<DenseRuntime>> | null = null;

  constructor(
    private readonly db: Db,
    private readonly storeDir: string,
    private readonly modelsDir: string,
    private readonly getSettings: () => Settings,
    private readonly log: (line: string) => void,
  ) {}

  /** The embedder and the vector index that matches it; vectors made by another embedder are dropped. */
  denseRuntime(): Promise<Loaded<DenseRuntime>> {
    this.dense ??= this.loadDense();
    return this.dense;
  }

  async denseState(): Promise<ComponentState> {
    const r = await this.denseRuntime();
    return r.ok ? { status: 'ok' } : { status: 'model-missing', error: r.error };
  }

  private async loadDense(): Promise<Loaded<DenseRuntime>> {
    const s = this.getSettings();
    const status = modelStatus(this.modelsDir, s.embedderModel, 'embedder');
    if (!status.present) return { ok: false, error: missingModelError(s.embedderModel, 'embedder') };
    try {
      const embedder = await Embedder.load({ id: s.embedderModel, modelDir: resolveModelDir(this.modelsDir, s.embedderModel), settings: s, log: this.log });
      if (getMeta(this.db, 'embedder_key') !== embedder.key) {
        // Vectors from another model live in another space: drop them; the next index run re-embeds.
        this.db.exec('DELETE FROM vectors');
        VectorIndex.reset(this.storeDir);
        setMeta(this.db, 'embedder_key', embedder.key);
      }
      const { index, repair } = VectorIndex.open(this.db, this.storeDir, embedder.dim);
      if (repair.rebuilt || repair.orphansRemoved || repair.missingAdded) {
        this.log(`vectors: repaired FAISS index (rebuilt: ${repair.rebuilt}, orphans removed: ${repair.orphansRemoved}, missing added: ${repair.missingAdded})`);
      }
      return { ok: true, value: { embedder, vectors: index, repair } };
    } catch (err) {
      if (err instanceof AppErrorException) return { ok: false, error: err.appError }; // says what to do already
      return { ok: false, error: { code: 'embedder-failed', message: `The embedder ${s.embedderModel} could not start: ${(err as Error).message}`, action: 'Re-download or re-import the model in Library > Models.' } };
    }
  }

  /** Drops loaded sessions (a model, provider or quantisation setting changed); they reload on next use. */
  async reset(): Promise<void> {
    const dense = this.dense;
    this.dense = null;
    const r = await dense;
    if (r?.ok) {
      r.value.vectors.save();
      await r.value.embedder.close();
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }
}
