// TREC layout: a qrels file (`qid iter docno rel`), a topics file (SGML <top>, XML <topic>, or `qid<TAB>text`),
// and documents as corpus.jsonl or TREC SGML <DOC> files (in docs/ or beside the other two).
import { existsSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { addJudgement, EvalError, type Collection, type CollectionDoc, type CollectionQuery, type Qrels } from '../collection.js';
import { readJsonlCorpus, readText } from './jsonl.js';

export type TopicField = 'title' | 'description' | 'title+description';

export interface TrecFiles {
  qrels: string;
  topics: string;
  /** corpus.jsonl, or files of <DOC> records. */
  docs: string[];
}

export function parseTrecQrels(text: string): Qrels {
  const qrels: Qrels = new Map();
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const cols = line.trim().split(/\s+/);
    if (cols.length !== 4 || Number.isNaN(Number(cols[3]))) {
      throw new EvalError('eval-bad-qrels', `"${line}" is not a TREC qrels line "qid iter docno rel".`,
        'Fix the qrels file: four whitespace-separated columns.');
    }
    addJudgement(qrels, cols[0]!, cols[2]!, Number(cols[3]));
  }
  return qrels;
}

const decodeEntities = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const stripTags = (s: string) => decodeEntities(s.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
/** Text of the first <tag>...</tag>, or, for SGML tags that TREC never closes, up to the next tag. */
function field(block: string, tag: string): string {
  const closed = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'i').exec(block);
  if (closed) return stripTags(closed[1]!);
  const open = new RegExp(`<${tag}>([\\s\\S]*?)(?=<[a-z/]|$)`, 'i').exec(block);
  return open ? stripTags(open[1]!) : '';
}

export function parseTrecTopics(text: string, use: TopicField = 'title'): CollectionQuery[] {
  const pick = (title: string, desc: string) =>
    use === 'title' ? title || desc : use === 'description' ? desc || title : [title, desc].filter(Boolean).join(' ');
  if (/<top>/i.test(text)) {
    return [...text.matchAll(/<top>([\s\S]*?)<\/top>/gi)].map((m) => {
      const block = m[1]!;
      const id = field(block, 'num').replace(/^number:\s*/i, '');
      return { id, text: pick(field(block, 'title').replace(/^topic:\s*/i, ''), field(block, 'desc').replace(/^description:\s*/i, '')) };
    });
  }
  if (/<topic\s/i.test(text)) {
    return [...text.matchAll(/<topic\s+[^>]*number="([^"]+)"[^>]*>([\s\S]*?)<\/topic>/gi)].map((m) => ({
      id: m[1]!, text: pick(field(m[2]!, 'query') || field(m[2]!, 'title'), field(m[2]!, 'description')),
    }));
  }
  return text.split(/\r?\n/).filter((l) => l.trim()).map((line) => {
    const tab = line.indexOf('\t');
    if (tab < 0) {
      throw new EvalError('eval-bad-topics', `"${line}" is neither a <top> topic nor "qid<TAB>text".`,
        'Use TREC topic files or a tab-separated query list.');
    }
    return { id: line.slice(0, tab).trim(), text: line.slice(tab + 1).trim() };
  });
}

export function parseTrecDocs(text: string): CollectionDoc[] {
  return [...text.matchAll(/<DOC>([\s\S]*?)<\/DOC>/gi)].map((m) => {
    const block = m[1]!;
    const id = field(block, 'DOCNO');
    const title = field(block, 'HEADLINE') || field(block, 'TITLE') || field(block, 'HEAD');
    const bodies = [...block.matchAll(/<TEXT>([\s\S]*?)<\/TEXT>/gi)].map((t) => stripTags(t[1]!));
    const text = bodies.length ? bodies.join('\n') : stripTags(block.replace(/<DOCNO>[\s\S]*?<\/DOCNO>/i, ''));
    return { id, ...(title ? { title } : {}), text };
  });
}

async function filesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesIn(path)));
    else out.push(path);
  }
  return out;
}

/** Finds qrels (name has "qrels"), topics (name has "topics" or "queries") and documents in a folder, or null. */
export async function findTrecFiles(dir: string): Promise<TrecFiles | null> {
  const names = (await readdir(dir)).filter((n) => !/readme/i.test(n)).sort();
  const qrels = names.find((n) => /qrels/i.test(n) && statSync(join(dir, n)).isFile());
  const topics = names.find((n) => /topics|queries/i.test(n) && !/\.jsonl$/i.test(n));
  if (!qrels || !topics) return null;
  let docs: string[];
  if (names.includes('corpus.jsonl')) docs = [join(dir, 'corpus.jsonl')];
  else if (existsSync(join(dir, 'docs'))) docs = await filesIn(join(dir, 'docs'));
  else {
    // Beside the other two, in subfolders too (TREC disks keep each source in its own folder).
    const notDocs = new Set([qrels, topics].map((n) => join(dir, n)));
    docs = (await filesIn(dir)).filter((p) => !notDocs.has(p) && !/readme/i.test(basename(p)));
  }
  return { qrels: join(dir, qrels), topics: join(dir, topics), docs };
}

export async function loadTrecCollection(files: TrecFiles, opts: { topicField?: TopicField; name?: string } = {}): Promise<Collection> {
  const qrels = parseTrecQrels(await readText(files.qrels));
  const queries = parseTrecTopics(await readText(files.topics), opts.topicField);
  const docs: CollectionDoc[] = [];
  for (const path of files.docs) {
    if (path.endsWith('.jsonl')) docs.push(...(await readJsonlCorpus(path)));
    else docs.push(...parseTrecDocs(await readText(path)));
  }
  if (docs.length === 0) {
    throw new EvalError('eval-no-docs', `No documents found beside ${basename(files.topics)}.`,
      'Put corpus.jsonl or TREC <DOC> files in the folder (or in docs/).');
  }
  return { name: opts.name ?? basename(files.topics).replace(/\.[^.]+$/, ''), docs, queries, qrels };
}
