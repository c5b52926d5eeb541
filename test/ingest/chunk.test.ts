import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { approxTokenCounter, chunkBudget, chunkDocument, type Chunk, type ChunkOptions, type TokenCounter } from '../../core/ingest/chunk.js';
import { parseMarkdown } from '../../core/ingest/parse/markdown.js';
import { parsePlain } from '../../core/ingest/parse/text.js';
import type { ParsedDocument, Section } from '../../core/ingest/parse/types.js';
import { loadBertCounter, projectRoot } from './real-tokenizer.js';

const OPTS: ChunkOptions = { chunkTokens: 128, overlapTokens: 16, prefixTokens: 3, maxModelTokens: 512 };
const BUDGET = 128 - 3 - 2;
const cranfield = resolve(projectRoot, '..', 'shared', 'data', 'cranfield', 'cran.all.1400');

/** Every guarantee that holds for any document: exact offsets, trimmed, within budget, one page, start heading. */
function assertChunkInvariants(doc: ParsedDocument, chunks: Chunk[], tok: TokenCounter, budget: number): void {
  for (const c of chunks) {
    assert.equal(c.text, doc.text.slice(c.charStart, c.charEnd));
    assert.equal(c.text, c.text.trim(), 'chunk offsets are trimmed');
    assert.ok(c.text.length > 0);
    const n = tok.count(c.text);
    assert.equal(c.tokenCount, n);
    assert.ok(n <= budget, `chunk of ${n} tokens exceeds budget ${budget}`);
    const start = doc.sections.filter((s) => s.charStart <= c.charStart).at(-1) as Section;
    assert.deepEqual(c.headingPath, start.headingPath);
    const pageSections = doc.sections.filter((s) => s.page === c.page);
    assert.ok(pageSections.some((s) => s.charStart <= c.charStart) && pageSections.some((s) => c.charEnd <= s.charEnd));
    const crossed = doc.sections.filter((s) => s.page !== c.page && s.charStart < c.charEnd && c.charStart < s.charEnd);
    assert.deepEqual(crossed, [], 'a chunk never crosses a page boundary');
  }
  // Nothing is lost: every non-whitespace character lies in some chunk.
  const covered = new Uint8Array(doc.text.length);
  for (const c of chunks) covered.fill(1, c.charStart, c.charEnd);
  const lost = doc.text.split('').findIndex((ch, i) => !covered[i] && /\S/.test(ch));
  assert.equal(lost, -1, `character ${lost} is in no chunk: ${JSON.stringify(doc.text.slice(Math.max(0, lost - 20), lost + 20))}`);
}

describe('chunkDocument with the real WordPiece tokenizer', () => {
  let tok: TokenCounter;
  let prose: string;
  before(async () => {
    const counter = await loadBertCounter();
    assert.ok(counter, 'the shared bert-base-uncased tokenizer is required (../shared/models/tokenizers)');
    tok = counter;
    prose = readFileSync(cranfield, 'utf8').slice(0, 150_000);
  });

  it('computes the budget from chunk size, model limit, prefix and specials', () => {
    assert.equal(chunkBudget(OPTS), BUDGET);
    assert.equal(chunkBudget({ ...OPTS, chunkTokens: 1024, maxModelTokens: 512 }), 512 - 3 - 2);
    assert.throws(() => chunkDocument(parsePlain('x', 'text'), tok, { ...OPTS, chunkTokens: 10, prefixTokens: 5 }), RangeError);
  });

  it('keeps every chunk of real prose within budget, exact, and well filled', () => {
    const doc = parsePlain(prose, 'text');
    const chunks = chunkDocument(doc, tok, OPTS);
    assertChunkInvariants(doc, chunks, tok, BUDGET);
    const mean = chunks.reduce((a, c) => a + c.tokenCount, 0) / chunks.length;
    assert.ok(mean > BUDGET * 0.6, `chunks are packed, not one sentence each (mean ${mean.toFixed(1)} tokens)`);
  });

  it('repeats about overlapTokens of trailing text at the start of the next chunk', () => {
    const doc = parsePlain(prose.slice(0, 40_000), 'text');
    const chunks = chunkDocument(doc, tok, OPTS);
    let overlapped = 0;
    for (let i = 1; i < chunks.length; i++) {
      const [a, b] = [chunks[i - 1], chunks[i]];
      assert.ok(b.charStart > a.charStart, 'chunks always move forward');
      if (b.charStart < a.charEnd) {
        overlapped++;
        assert.ok(tok.count(doc.text.slice(b.charStart, a.charEnd)) <= OPTS.overlapTokens);
      }
    }
    assert.ok(overlapped > chunks.length / 2, `most chunks overlap their predecessor (${overlapped}/${chunks.length})`);
    const none = chunkDocument(doc, tok, { ...OPTS, overlapTokens: 0 });
    for (let i = 1; i < none.length; i++) assert.ok(none[i].charStart >= none[i - 1].charEnd);
  });

  it('cuts sentences with no punctuation, monster words, CJK and emoji without breaking the budget', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `term${i % 97}`).join(' ');
    const base64 = Buffer.from(Array.from({ length: 6_000 }, (_, i) => (i * 97 + 13) % 256)).toString('base64');
    const cjk = '风洞试验用于研究气流对模型的影响'.repeat(200);
    const emoji = '🚀✈️🌬️ '.repeat(300) + '🚀'.repeat(2000);
    for (const text of [words, base64, cjk, emoji, `${words}\n\n${base64}\n${cjk}. ${emoji}`]) {
      const doc = parsePlain(text, 'text');
      const chunks = chunkDocument(doc, tok, OPTS);
      assertChunkInvariants(doc, chunks, tok, BUDGET);
      for (const c of chunks) {
        // Never split inside a surrogate pair.
        assert.ok(!/^[\uDC00-\uDFFF]/.test(c.text) && !/[\uD800-\uDBFF]$/.test(c.text));
        assert.ok(c.text.length <= BUDGET * 12, 'a giant [UNK] word is still cut to a sane size');
      }
    }
  });

  it('takes the heading path of the chunk start from markdown sections', () => {
    const parts: string[] = [];
    for (let s = 1; s <= 4; s++) {
      parts.push(`# Part ${s}\n\n${prose.slice(s * 3000, s * 3000 + 1500)}\n`);
      parts.push(`## Detail ${s}\n\n${prose.slice(s * 5000, s * 5000 + 2500)}\n`);
    }
    const doc = parseMarkdown(parts.join('\n'));
    const chunks = chunkDocument(doc, tok, OPTS);
    assertChunkInvariants(doc, chunks, tok, BUDGET);
    const paths = new Set(chunks.map((c) => c.headingPath.join(' > ')));
    for (let s = 1; s <= 4; s++) assert.ok(paths.has(`Part ${s} > Detail ${s}`), [...paths].join(' | '));
  });

  it('never lets a chunk cross a page, and labels each chunk with its page', () => {
    // The shape parsePdf produces (pages joined by blank lines, one section per page), built directly so this
    // test does not pay for loading pdfjs; parsePdf's own shape is tested in parse/pdf.test.ts.
    const pages = [1, 2, 3].map((p) => Array.from({ length: 30 }, (_, i) => `Page ${p} line ${i} about pressure, drag and lift.`).join('\n'));
    let text = '';
    const sections: Section[] = pages.map((pageText, i) => {
      const charStart = text.length;
      text += pageText + (i < pages.length - 1 ? '\n\n' : '');
      return { charStart, charEnd: text.length, page: i + 1, headingPath: [] };
    });
    const doc: ParsedDocument = { kind: 'pdf', text, sections };
    const chunks = chunkDocument(doc, tok, { ...OPTS, overlapTokens: 24 });
    assertChunkInvariants(doc, chunks, tok, BUDGET);
    assert.deepEqual([...new Set(chunks.map((c) => c.page))], [1, 2, 3]);
    for (const c of chunks) assert.ok(c.text.startsWith(`Page ${c.page} line`) && !c.text.includes(`Page ${c.page! + 1} `));
    // The last chunk of a page is not padded with the next page, and the next page does not start mid-way.
    for (let p = 2; p <= 3; p++) assert.ok(chunks.find((c) => c.page === p)?.text.startsWith(`Page ${p} line 0 `));
  });

  it('returns no chunks for empty or blank text', () => {
    assert.deepEqual(chunkDocument(parsePlain('', 'text'), tok, OPTS), []);
    assert.deepEqual(chunkDocument(parsePlain(' \n\n\t ', 'text'), tok, OPTS), []);
  });

  it('approxTokenCounter errs high on English prose, so its chunks fit the real tokenizer too', () => {
    const doc = parsePlain(prose.slice(0, 60_000), 'text');
    const chunks = chunkDocument(doc, approxTokenCounter, OPTS);
    assertChunkInvariants(doc, chunks, approxTokenCounter, BUDGET);
    for (const c of chunks) assert.ok(tok.count(c.text) <= BUDGET, `real ${tok.count(c.text)} > ${BUDGET}`);
    assert.equal(approxTokenCounter.count('abcdefghijkl'), 4);
    assert.equal(approxTokenCounter.count('风洞'), 2);
  });
});
