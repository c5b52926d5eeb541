// JSON Lines reading shared by the BEIR and TREC loaders.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { EvalError } from '../collection.js';

/** Streams a .jsonl file (corpora can be large), one parsed object per non-empty line. */
export async function* readJsonl(path: string): AsyncGenerator<Record<string, unknown>> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new EvalError('eval-bad-jsonl', `Line ${n} of ${path} is not valid JSON.`, 'Fix or remove that line.');
    }
  }
}

/** A record's id as a string: BEIR writes `_id`, some exports `id`. */
export function recordId(rec: Record<string, unknown>, path: string): string {
  const id = rec['_id'] ?? rec['id'];
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new EvalError('eval-missing-id', `A record in ${path} has no "_id".`, 'Give every line an "_id" field.');
  }
  return String(id);
}

/** Reads corpus.jsonl: {_id, title?, text}. */
export async function readJsonlCorpus(path: string): Promise<{ id: string; title?: string; text: string }[]> {
  const docs: { id: string; title?: string; text: string }[] = [];
  for await (const rec of readJsonl(path)) {
    const title = typeof rec['title'] === 'string' && rec['title'].trim() ? rec['title'].trim() : undefined;
    docs.push({ id: recordId(rec, path), ...(title ? { title } : {}), text: String(rec['text'] ?? '') });
  }
  return docs;
}
