// Questions the user labelled in the app, stored as JSON: [{ question, relevantChunkIds: [..] }, ...].
import { basename } from 'node:path';
import { z } from 'zod';
import { EvalError, type Collection, type Qrels, type UserLabels } from '../collection.js';
import { readText } from './jsonl.js';

export const UserLabelsSchema = z.array(z.object({
  question: z.string().trim().min(1),
  relevantChunkIds: z.array(z.number().int().nonnegative()),
}));

/** Reads and validates a labels file; the error names the first bad entry. */
export async function loadUserLabels(path: string): Promise<UserLabels> {
  let json: unknown;
  try {
    json = JSON.parse(await readText(path));
  } catch (err) {
    throw new EvalError('eval-bad-labels', `Cannot read the labelled questions in ${path}: ${(err as Error).message}.`,
      'Check the file exists and is valid JSON.');
  }
  const parsed = UserLabelsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EvalError('eval-bad-labels', `Labelled questions in ${path}: ${issue.path.join('.') || 'file'}: ${issue.message}.`,
      'Each entry needs a non-empty "question" and "relevantChunkIds" (chunk numbers).');
  }
  return parsed.data;
}

/**
 * Labels as a Collection over the user's already-indexed library: no docs to index, query ids q1..qn, and doc ids
 * are chunk ids as strings, so the engine must answer with String(chunkId) as docId for such a collection.
 */
export function userLabelsToCollection(labels: UserLabels, name = 'my-questions'): Collection {
  const qrels: Qrels = new Map();
  const queries = labels.map((l, i) => {
    const id = `q${i + 1}`;
    qrels.set(id, new Map(l.relevantChunkIds.map((c) => [String(c), 1])));
    return { id, text: l.question };
  });
  return { name, docs: [], queries, qrels };
}

export async function loadUserLabelsCollection(path: string): Promise<Collection> {
  return userLabelsToCollection(await loadUserLabels(path), basename(path).replace(/\.json$/i, ''));
}
