// Okapi BM25 scored the slow, obvious way: every chunk in chunk_terms, one pass for all questions, in the same
// arithmetic as bm25Search (core/store/fulltext.ts), so that its top k must equal the engine's to the last bit.
import type { Db } from '../../core/store/db.js';
import { termCounts } from '../../core/store/postings.js';
import { textTerms } from '../../core/store/text-terms.js';

export type Ranked = { chunkId: number; score: number }[];

export function exhaustiveBm25(db: Db, questions: string[], k: number, k1 = 1.2, b = 0.75): Ranked[] {
  const asked = questions.map((q) => termCounts(textTerms(q).join(' ')));
  const wanted = new Set(asked.flatMap((q) => [...q.keys()]));
  // Chunks holding any asked term, with those terms' frequencies; N and lengths over every chunk.
  const holding: { id: number; len: number; tfs: Map<string, number> }[] = [];
  const df = new Map<string, number>();
  let n = 0;
  let length = 0;
  for (const [id, terms, len] of db.prepare('SELECT chunk_id, terms, len FROM chunk_terms').raw().iterate() as IterableIterator<[number, string, number]>) {
    n++;
    length += len;
    const tfs = new Map([...termCounts(terms)].filter(([t]) => wanted.has(t)));
    if (tfs.size === 0) continue;
    holding.push({ id, len, tfs });
    for (const t of tfs.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const c1 = k1 * (1 - b);
  const c2 = (k1 * b) / (length / n);
  return asked.map((qtf) => {
    const weights = [...qtf].flatMap(([t, q]): [string, number][] => {
      const d = df.get(t) ?? 0;
      return d ? [[t, ((2 * q) / (1 + q)) * Math.log(1 + (n - d + 0.5) / (d + 0.5))]] : [];
    });
    const scored: Ranked = [];
    for (const c of holding) {
      let score = 0;
      for (const [t, w] of weights) {
        const tf = c.tfs.get(t) ?? 0;
        if (tf > 0) score += (w * (k1 + 1) * tf) / (tf + c1 + c2 * c.len);
      }
      if (score > 0) scored.push({ chunkId: c.id, score });
    }
    return scored.sort((x, y) => (y.score - x.score) || (x.chunkId - y.chunkId)).slice(0, k);
  });
}
