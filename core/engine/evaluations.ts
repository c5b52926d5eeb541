// Evaluations started from the app: one at a time, in the background, with progress events and cancellation.
// The report lands where the CLI's does (<store>/eval), so the Evaluate screen shows whichever ran last.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { EvalProgressEvent, EvalRequest, EvalRunStarted } from '../contract/api.js';
import type { Settings } from '../contract/settings.js';
import { AppErrorException } from '../contract/app-error.js';
import type { Engine } from '../engine.js';
import { DEFAULT_ALPHAS, DEFAULT_NS, EvalError, loadCollection } from '../eval/index.js';
import { EngineError } from './library.js';
import { evaluateCollection } from './eval-engine.js';

export interface EvaluationsDeps {
  library: Engine;
  storeDir: string;
  openEngine: (storeDir: string, settings: Partial<Settings>) => Promise<Engine>;
  emit: (p: EvalProgressEvent) => void;
  log: (line: string) => void;
}

interface Running {
  runId: string;
  controller: AbortController;
  finished: Promise<void>;
}

export class Evaluations {
  private running: Running | null = null;

  constructor(private readonly deps: EvaluationsDeps) {}

  /** Loads the collection (bad input is refused here, with its reason), then scores it in the background. */
  async start(req: EvalRequest): Promise<EvalRunStarted> {
    if (this.running) {
      throw new EngineError({ code: 'eval-running', message: 'An evaluation is already running.', action: 'Wait for it to finish, or cancel it.' });
    }
    const collection = await loadCollection(req.source);
    if (this.running) throw new EngineError({ code: 'eval-running', message: 'An evaluation is already running.', action: 'Wait for it to finish, or cancel it.' });
    const runId = randomUUID();
    const controller = new AbortController();
    const { library, storeDir, openEngine, emit } = this.deps;
    const s = await library.getSettings();
    const grid = req.grid ?? true;
    const finished = evaluateCollection(collection, {
      library, storeDir, openEngine, outDir: join(storeDir, 'eval'), signal: controller.signal,
      ns: grid ? DEFAULT_NS : [s.topN], alphas: grid ? DEFAULT_ALPHAS : [s.alpha], normalisation: s.normalisation, k: s.retrieveK,
      current: { mode: s.rerankMode, topN: s.topN, alpha: s.alpha },
      onProgress: (p) => emit({ runId, phase: p.phase, done: p.done, total: p.total }),
    }).then(() => undefined, (err: unknown) => {
      const cancelled = err instanceof EvalError && err.code === 'eval-cancelled';
      if (!cancelled) this.deps.log(`evaluation of ${collection.name} failed: ${String(err)}`);
      emit({ runId, phase: cancelled ? 'cancelled' : 'error', done: 0, total: 0, error: appErrorOf(err) });
    }).finally(() => { if (this.running?.runId === runId) this.running = null; });
    this.running = { runId, controller, finished };
    return { runId, collection: collection.name, queries: collection.queries.length };
  }

  /** Stops the run after the question being scored (scored questions are kept for the next run). */
  cancel(runId: string): { cancelled: boolean } {
    if (!this.running || this.running.runId !== runId) return { cancelled: false };
    this.running.controller.abort();
    return { cancelled: true };
  }

  async close(): Promise<void> {
    const r = this.running;
    r?.controller.abort();
    await r?.finished;
  }
}

function appErrorOf(err: unknown) {
  if (err instanceof AppErrorException) return err.appError;
  const detail = String(err instanceof Error ? err.message : err).split('\n')[0]!.slice(0, 300);
  return { code: 'eval-failed', message: `The evaluation failed: ${detail}`, action: 'Check the collection and the models, then run it again.', params: { detail } };
}
