// BM25 by hand on a three-chunk corpus, the analysis (stems, Japanese words, no cut of long questions), and the
// migration that rebuilds an old store's full-text index once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getMeta, openDb, type Db } from '../../core/store/db.js';
import { firstReleaseStore } from '../support/old-store.js';
import { replaceDocument } from '../../core/store/documents.js';
import { bm25Search } from '../../core/store/fulltext.js';
import { textTerms } from '../../core/store/text-terms.js';
import { tempDir } from '../support/temp.js';

const chunk = (text: string) => ({ text, charStart: 0, charEnd: text.length, page: null, headingPath: [], tokenCount: 3 });
function corpus(texts: string[], dir = tempDir()): { db: Db; ids: number[] } {
  const db = openDb(dir);
  const ids = texts.flatMap((t, i) => replaceDocument(db, { path: `/f/${i}.txt`, folder: '/f', hash: String(i), size: 1, mtimeMs: 1 }, [chunk(t)], 'k').added);
  return { db, ids };
}
const close = (actual: number | undefined, expected: number) => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

describe('textTerms', () => {
  it('stems English, drops stopwords and diacritics, splits hyphens, keeps repeats', () => {
    assert.deepEqual(textTerms('Turbulent flows over the boundary-layer: flow!'), ['turbul', 'flow', 'boundari', 'layer', 'flow']);
    assert.deepEqual(textTerms('Café NAÏVE'), ['cafe', 'naiv']);
  });
  it('segments Japanese and Chinese into words and drops Japanese particles; NFKC folds full- and half-width', () => {
    assert.deepEqual(textTerms('箱根の温泉に行きたいです。'), ['箱根', '温泉', '行き', 'たい']);
    assert.deepEqual(textTerms('自然语言处理'), ['自然', '语言', '处理']);
    assert.deepEqual(textTerms('ＢＭ２５ ｶﾀｶﾅ'), ['bm25', 'カタカナ']);
  });
});

describe('bm25Search', () => {
  // Terms: c1 [flow, flat, plate] (dl 3), c2 [turbul, flow, flow, pipe] (dl 4), c3 [heat, transfer] (dl 2).
  // N 3, avgdl 9/3 = 3; df(flow) 2 -> idf = ln(1 + (3 - 2 + .5) / (2 + .5)) = ln 1.6.
  const texts = ['flow over a flat plate', 'turbulent flow, flow in pipes', 'heat transfer'];

  it('scores Okapi BM25 with Lucene idf, k1 1.2 and b 0.75 by default', () => {
    const { db, ids } = corpus(texts);
    const r = bm25Search(db, 'Flows?', 10);
    // c2: tf 2, norm 1.2 * (.25 + .75 * 4/3) = 1.5 -> 2 * 2.2 / 3.5; c1: tf 1, norm 1.2 -> 2.2 / 2.2 = 1
    assert.deepEqual(r.map((x) => x.chunkId), [ids[1], ids[0]]);
    close(r[0]!.score, Math.log(1.6) * 4.4 / 3.5);
    close(r[1]!.score, Math.log(1.6));
  });

  it('k1 and b are the caller\'s: b 0 ignores length, k1 0 ignores term frequency', () => {
    const { db, ids } = corpus(texts);
    // b 0: norm 1.2 for both -> c2 4.4 / 3.2, c1 1
    const noLength = bm25Search(db, 'flow', 10, { k1: 1.2, b: 0 });
    close(noLength[0]!.score, Math.log(1.6) * 4.4 / 3.2);
    // k1 0: every matching chunk scores idf; equal scores go to the lower chunk id
    const noTf = bm25Search(db, 'flow', 10, { k1: 0, b: 0.75 });
    assert.deepEqual(noTf.map((x) => x.chunkId), [ids[0], ids[1]]);
    close(noTf[0]!.score, Math.log(1.6));
  });

  it('a repeated query word counts, saturated: qtf 2 weighs (1 + 1) * 2 / (1 + 2) = 4/3', () => {
    const { db } = corpus(texts);
    close(bm25Search(db, 'flow flow', 10)[1]!.score, Math.log(1.6) * 4 / 3);
  });

  it('long questions are not cut: the 90th distinct word still matches', () => {
    const { db, ids } = corpus(texts);
    const filler = Array.from({ length: 89 }, (_, i) => `zzword${i}`).join(' ');
    assert.deepEqual(bm25Search(db, `${filler} transfer`, 10).map((x) => x.chunkId), [ids[2]]);
  });

  it('Japanese words match inside running text', () => {
    const { db, ids } = corpus(['箱根の温泉は有名です。', '京都の寺を訪れる。']);
    assert.deepEqual(bm25Search(db, '箱根', 5).map((x) => x.chunkId), [ids[0]]);
    assert.deepEqual(bm25Search(db, '京都のお寺', 5)[0]!.chunkId, ids[1]);
  });

  it('nothing indexed, or nothing but stopwords asked: no hits, no error', () => {
    assert.deepEqual(bm25Search(openDb(tempDir()), 'flow', 5), []);
    assert.deepEqual(bm25Search(corpus(texts).db, 'the of and', 5), []);
  });
});

describe('the full-text migration', () => {
  it('rebuilds a first-release store\'s index once: its chunks become findable by stem and by Japanese word', () => {
    // A store as the first release wrote it: FTS5 over raw text with the unicode61 tokenizer.
    const dir = tempDir();
    const old = firstReleaseStore(dir, [[7, 'Turbulent flows in pipes'], [9, '箱根の温泉']]);
    assert.equal(old.prepare(`SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH '"flow"'`).pluck().get(), 0, 'the old index has no stems');
    assert.equal(old.prepare(`SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH '"温泉"'`).pluck().get(), 0, 'nor Japanese words');
    old.close();

    const lines: string[] = [];
    const migrated = openDb(dir, { log: (l) => lines.push(l) });
    assert.deepEqual(bm25Search(migrated, 'flow', 5).map((x) => x.chunkId), [7]);
    assert.deepEqual(bm25Search(migrated, '温泉', 5).map((x) => x.chunkId), [9]);
    // Later writes and deletes go through the new triggers into the postings.
    const added = replaceDocument(migrated, { path: '/f/new.txt', folder: '/f', hash: 'n', size: 1, mtimeMs: 1 }, [chunk('flowing water')], 'k').added;
    assert.deepEqual(new Set(bm25Search(migrated, 'flows', 5).map((x) => x.chunkId)), new Set([7, ...added]));
    replaceDocument(migrated, { path: '/f/a.md', folder: '/f', hash: 'h2', size: 1, mtimeMs: 2 }, [chunk('heat transfer')], 'k');
    assert.deepEqual(bm25Search(migrated, 'flows', 5).map((x) => x.chunkId), added);
    assert.equal(migrated.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'chunks_fts%'").pluck().get(), 0, 'FTS5 is gone');
    assert.equal(migrated.prepare('SELECT count(*) FROM bm25_queue').pluck().get(), 0, 'every write folded its changes in');
    const version = getMeta(migrated, 'schema_version');
    migrated.close();
    // Opening again does not rebuild: the analysed terms are not written twice.
    const again = openDb(dir);
    assert.equal(getMeta(again, 'schema_version'), version);
    assert.equal(again.prepare('SELECT count(*) FROM chunk_terms').pluck().get(), 2);
    again.close();
  });
});
