// BEIR layout: corpus.jsonl, queries.jsonl, qrels/<split>.tsv (header "query-id corpus-id score").
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { addJudgement, EvalError, type Collection, type Qrels } from '../collection.js';
import { readJsonl, readJsonlCorpus, readText, recordId } from './jsonl.js';

export function isBeirFolder(dir: string): boolean {
  return ['corpus.jsonl', 'queries.jsonl'].every((n) => existsSync(join(dir, n))) && statSync(join(dir, 'qrels'), { throwIfNoEntry: false })?.isDirectory() === true;
}

/** The split to evaluate: the one asked for, else `test`, else `dev`, else the first qrels file. */
async function pickSplit(dir: string, split?: string): Promise<string> {
  const splits = (await readdir(join(dir, 'qrels'))).filter((n) => n.endsWith('.tsv')).map((n) => n.slice(0, -4));
  const chosen = split ?? ['test', 'dev', ...splits.sort()].find((s) => splits.includes(s));
  if (!chosen || !splits.includes(chosen)) {
    throw new EvalError('eval-no-split', `No qrels/${split ?? '<split>'}.tsv in ${dir}.`,
      `Use one of: ${splits.join(', ') || '(none found)'}.`);
  }
  return chosen;
}

export function parseBeirQrels(text: string): Qrels {
  const qrels: Qrels = new Map();
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  // The header is optional in practice: skip a first line whose score column is not a number.
  const start = lines.length && Number.isNaN(Number(lines[0]!.split('\t')[2])) ? 1 : 0;
  for (const line of lines.slice(start)) {
    const cols = line.trimEnd().split('\t');
    const [q, doc, score] = cols;
    // Exactly three columns: a TREC-style line (q 0 doc rel) would otherwise judge document "0".
    if (cols.length !== 3 || !q || !doc || score === undefined || Number.isNaN(Number(score))) {
      throw new EvalError('eval-bad-qrels', `"${line}" is not "query-id<TAB>corpus-id<TAB>score".`,
        'Fix the qrels file: three tab-separated columns.');
    }
    addJudgement(qrels, q, doc, Number(score));
  }
  return qrels;
}

/** Loads a BEIR folder; only the queries judged in the split are kept (queries.jsonl holds every split's). */
export async function loadBeirCollection(dir: string, opts: { split?: string; name?: string } = {}): Promise<Collection> {
  const split = await pickSplit(dir, opts.split);
  const qrels = parseBeirQrels(await readText(join(dir, 'qrels', `${split}.tsv`)));
  const queries: Collection['queries'] = [];
  const queriesPath = join(dir, 'queries.jsonl');
  const seen = new Set<string>();
  for await (const rec of readJsonl(queriesPath)) {
    const id = recordId(rec, queriesPath);
    // A repeated id is one question (the first), never one question scored twice.
    if (!qrels.has(id) || seen.has(id)) continue;
    seen.add(id);
    const text = rec['text'];
    if (typeof text !== 'string' || !text.trim()) {
      throw new EvalError('eval-query-without-text', `Query "${id.slice(0, 100)}" in ${queriesPath} has no "text".`,
        'Give every query its question in a "text" field.', { query: id.slice(0, 100), path: queriesPath });
    }
    queries.push({ id, text });
  }
  const docs = await readJsonlCorpus(join(dir, 'corpus.jsonl'));
  return { name: opts.name ?? `${basename(dir)}/${split}`, docs, queries, qrels };
}
