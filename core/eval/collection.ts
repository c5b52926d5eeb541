// The labelled collection every loader produces and every metric and runner consumes.
import { createHash } from 'node:crypto';
import { AppErrorException } from '../contract/app-error.js';

export interface CollectionDoc {
  id: string;
  title?: string;
  text: string;
}

export interface CollectionQuery {
  id: string;
  text: string;
}

/** queryId -> (docId -> graded relevance). Grade > 0 is relevant; 0 (or below) is judged non-relevant. */
export type Qrels = Map<string, Map<string, number>>;

export interface Collection {
  name: string;
  /**
   * The corpus to index. Empty for user-labelled questions: they are asked against the library the user has
   * already indexed, and their doc ids are chunk ids (see userLabelsToCollection).
   */
  docs: CollectionDoc[];
  queries: CollectionQuery[];
  qrels: Qrels;
}

/** Questions the user labelled in the app: the chunks that answer each one. */
export type UserLabels = { question: string; relevantChunkIds: number[] }[];

/** An error the user sees (it carries the contract's AppError), thrown by loaders and the runner. */
export class EvalError extends AppErrorException {
  readonly code: string;
  readonly action?: string;
  constructor(code: string, message: string, action?: string, params?: Record<string, string | number>) {
    super({ code, message, ...(action ? { action } : {}), ...(params ? { params } : {}) });
    this.code = code;
    if (action) this.action = action;
  }
}

/** Adds one judgement, keeping the highest grade when a pair is judged twice. */
export function addJudgement(qrels: Qrels, queryId: string, docId: string, grade: number): void {
  let judged = qrels.get(queryId);
  if (!judged) qrels.set(queryId, (judged = new Map()));
  judged.set(docId, Math.max(grade, judged.get(docId) ?? -Infinity));
}

/** Number of documents judged relevant (grade > 0) for a query. */
export function relevantCount(judged: ReadonlyMap<string, number> | undefined): number {
  let n = 0;
  for (const grade of judged?.values() ?? []) if (grade > 0) n++;
  return n;
}

/** A hash of the documents (the questions' text is kept with each query's cached scores), 16 hex digits. */
export function corpusFingerprint(docs: readonly CollectionDoc[]): string {
  const hash = createHash('sha256');
  for (const d of docs) hash.update(JSON.stringify([d.id, d.title ?? null, d.text]));
  return hash.digest('hex').slice(0, 16);
}
