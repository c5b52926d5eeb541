// SMART-format collections (Cranfield, CISI, MED, ...): records start with `.I id`, fields with `.T`, `.A`, `.W`...
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { addJudgement, EvalError, type Collection, type Qrels } from '../collection.js';
import { readText } from './jsonl.js';

export interface SmartFiles {
  docs: string;
  queries: string;
  qrels: string;
}

type SmartRecord = { id: string; fields: Map<string, string> };

/** Splits SMART text into records; a field that repeats in a record (Cranfield doc 576 has two .W) is appended. */
export function parseSmartRecords(text: string): SmartRecord[] {
  const records: SmartRecord[] = [];
  let current: SmartRecord | null = null;
  let field: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const start = /^\.I\s+(\S+)/.exec(raw);
    if (start) {
      current = { id: start[1]!, fields: new Map() };
      records.push(current);
      field = null;
      continue;
    }
    const marker = /^\.([A-Z])\s*$/.exec(raw);
    if (marker && current) {
      field = marker[1]!;
      if (!current.fields.has(field)) current.fields.set(field, '');
      continue;
    }
    if (current && field) {
      const before = current.fields.get(field)!;
      current.fields.set(field, before ? `${before}\n${raw}` : raw);
    }
  }
  return records;
}

const tidy = (s: string | undefined): string => (s ?? '').trim();
const oneLine = (s: string | undefined): string => tidy(s).replace(/\s+/g, ' ');

/**
 * Cranfield-style grades are best-first 1..4 with -1 for "not relevant"; graded metrics want higher = better,
 * so 1->4, 2->3, 3->2, 4->1 and -1 -> 0 (judged, non-relevant). Other SMART qrels (CISI, MED: `q doc 0 0.0`)
 * list only relevant pairs, which get grade 1.
 */
export function parseSmartQrels(text: string): { scheme: 'cranfield' | 'binary'; rows: [number, string, number][] } {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => l.split(/\s+/));
  const cranfield = lines.every((cols) => cols.length === 3 && ['-1', '1', '2', '3', '4'].includes(cols[2]!));
  // Some copies (MED.REL) are written TREC-style, `q 0 doc rel`: the doc is the third column, never a doc "0".
  const trecStyle = lines.every((cols) => cols.length === 4 && cols[1] === '0') && !lines.every((cols) => cols[2] === '0');
  const rows = lines.map((cols, i): [number, string, number] => {
    const q = Number(cols[0]);
    if (!Number.isInteger(q) || cols.length < 2) {
      throw new EvalError('eval-bad-qrels', `Line ${i + 1} of the SMART relevance file is not "query doc [grade]".`,
        'Check that the folder holds an unmodified SMART collection.');
    }
    if (trecStyle) return [q, cols[2]!, Number(cols[3]) > 0 ? 1 : 0];
    const grade = cranfield ? (cols[2] === '-1' ? 0 : 5 - Number(cols[2])) : 1;
    return [q, cols[1]!, grade];
  });
  return { scheme: cranfield ? 'cranfield' : 'binary', rows };
}

/**
 * Loads a SMART collection. Queries are numbered 1..n in file order, because that is how the qrels number them
 * (Cranfield's `.I` query ids are not sequential; for CISI and MED file order and `.I` coincide).
 */
export async function loadSmartCollection(files: SmartFiles, name?: string): Promise<Collection> {
  const [docText, queryText, qrelText] = await Promise.all(
    [files.docs, files.queries, files.qrels].map(readText),
  );
  const docs = parseSmartRecords(docText!).map((r) => {
    const title = oneLine(r.fields.get('T'));
    return { id: r.id, ...(title ? { title } : {}), text: tidy(r.fields.get('W')) };
  });
  const queries = parseSmartRecords(queryText!).map((r, i) => ({ id: String(i + 1), text: oneLine(r.fields.get('W')) }));
  const qrels: Qrels = new Map();
  for (const [q, doc, grade] of parseSmartQrels(qrelText!).rows) {
    if (q < 1 || q > queries.length) {
      throw new EvalError('eval-bad-qrels', `The relevance file names query ${q}, but the query file has ${queries.length}.`,
        'Check that the query and relevance files belong to the same collection.');
    }
    addJudgement(qrels, String(q), doc, grade);
  }
  return { name: name ?? basename(files.docs).split('.')[0]!.toLowerCase(), docs, queries, qrels };
}

/** Finds the three SMART files in a folder (cran.all.1400 / CISI.ALL / cacm.all, *.qry / query.text, cranqrel / *.rel / qrels.text), or null. */
export async function findSmartFiles(dir: string): Promise<SmartFiles | null> {
  const names = (await readdir(dir)).filter((n) => !/readme/i.test(n));
  const pick = (re: RegExp) => names.find((n) => re.test(n));
  const docs = pick(/\.all(\.\d+)?$/i);
  const queries = pick(/\.qry$/i) ?? pick(/^query\.text$/i); // CACM: cacm.all, query.text, qrels.text
  const qrels = pick(/qrel(s)?(\.te?xt)?$/i) ?? pick(/\.rel$/i);
  return docs && queries && qrels ? { docs: join(dir, docs), queries: join(dir, queries), qrels: join(dir, qrels) } : null;
}
