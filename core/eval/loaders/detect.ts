// One entry point: look at a folder (or a labels file) and load whatever collection format it holds.
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { EvalError, type Collection } from '../collection.js';
import { isBeirFolder, loadBeirCollection } from './beir.js';
import { findSmartFiles, loadSmartCollection } from './smart.js';
import { findTrecFiles, loadTrecCollection } from './trec.js';
import { loadUserLabelsCollection } from './user-labels.js';

export type CollectionFormat = 'smart' | 'beir' | 'trec' | 'user-labels';

export interface LoadOptions {
  /** BEIR qrels split (default test, else dev, else the first). */
  split?: string;
  /** TREC topic field used as the query (default title). */
  topicField?: 'title' | 'description' | 'title+description';
}

/** Which format a path holds, or null. BEIR is checked first: its folder may also contain a "qrels" name. */
export async function detectCollectionFormat(path: string): Promise<CollectionFormat | null> {
  const info = await stat(path).catch(() => null);
  if (!info) return null;
  if (info.isFile()) return /\.json$/i.test(path) ? 'user-labels' : null;
  if (!info.isDirectory()) return null; // a device or a FIFO: nothing to list
  if (isBeirFolder(path)) return 'beir';
  if (await findSmartFiles(path)) return 'smart';
  if (await findTrecFiles(path)) return 'trec';
  return null;
}

export async function loadCollection(dir: string, opts: LoadOptions = {}): Promise<Collection> {
  const path = resolve(dir);
  const format = await detectCollectionFormat(path);
  const name = basename(path);
  switch (format) {
    case 'beir': return withDocs(await loadBeirCollection(path, { split: opts.split }), path);
    case 'smart': return withDocs(await loadSmartCollection((await findSmartFiles(path))!, name), path);
    case 'trec': return loadTrecCollection((await findTrecFiles(path))!, { topicField: opts.topicField, name });
    case 'user-labels': return loadUserLabelsCollection(path);
    default:
      throw new EvalError('eval-unknown-format', `${path} is not a collection this app can read.`,
        'Use a SMART folder (*.all, *.qry, qrels), a BEIR folder (corpus.jsonl, queries.jsonl, qrels/), '
        + 'a TREC folder (qrels, topics, documents) or a labelled-questions .json file.');
  }
}

/** A collection without documents would be asked against the user's library, as labelled questions are: refuse it. */
function withDocs(c: Collection, path: string): Collection {
  if (c.docs.length > 0) return c;
  throw new EvalError('eval-no-docs', `The collection in ${path} has no documents.`,
    'Check its document file (corpus.jsonl, or the SMART *.all file) is complete.', { path });
}
