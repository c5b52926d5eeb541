// Text and JSON Lines reading shared by the loaders.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { EvalError } from '../collection.js';

/** A whole text file as UTF-8 without its byte-order mark (Windows tools write one; it would glue onto the first id). */
export async function readText(path: string): Promise<string> {
  return new TextDecoder().decode(await readFile(path));
}

/** Streams a .jsonl file (corpora can be large), one parsed object per non-empty line. */
export async function* readJsonl(path: string): AsyncGenerator<Record<string, unknown>> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let rec: unknown;
    try {
      rec = JSON.parse(n === 1 ? line.replace(/^\uFEFF/, '') : line);
    } catch {
      throw new EvalError('eval-bad-jsonl', `Line ${n} of ${path} is not valid JSON.`, 'Fix or remove that line.', { line: n, path });
    }
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
      throw new EvalError('eval-bad-jsonl', `Line ${n} of ${path} is not a JSON object.`, 'Fix or remove that line.', { line: n, path });
    }
    yield rec as Record<string, unknown>;
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
