// Token-true chunking: every chunk fits the embedder's window once its prefix and [CLS]/[SEP] are added.
// Segments are counted once and packed greedily; each packed chunk is then counted as a whole, because
// tokenizers are not exactly additive across cut points, and shrunk until it truly fits.
import type { ParsedDocument, Section } from './parse/types.js';
import { Break, segmentSpan, type Segment, type TokenCounter } from './segment.js';

export type { TokenCounter } from './segment.js';

export interface Chunk {
  /** Exactly doc.text.slice(charStart, charEnd). */
  text: string;
  charStart: number;
  charEnd: number;
  page: number | null;
  /** Heading path at the chunk's start. */
  headingPath: string[];
  /** tokenizer.count(text): without specials and prefix. */
  tokenCount: number;
}

export interface ChunkOptions {
  /** Target chunk size in the embedder's tokens, prefix and specials included. */
  chunkTokens: number;
  /** Tokens of trailing context repeated at the start of the next chunk. */
  overlapTokens: number;
  /** Tokens of the passage prefix the embedder adds (e.g. 'passage: '). */
  prefixTokens: number;
  /** The model's maximum sequence length. */
  maxModelTokens: number;
}

/** [CLS] and [SEP] (or <s> and </s>): added by the embedder around every passage. */
export const SPECIAL_TOKENS = 2;
const MIN_BUDGET = 8;
/** Caps a chunk's characters (budget x this) so a giant unknown word cannot make a "1-token" megabyte chunk. */
const MAX_CHARS_PER_TOKEN = 12;
/** A full chunk may end early at a better break (paragraph > line > sentence) if it is at least this full. */
const MIN_FILL_FOR_BETTER_BREAK = 0.7;

/** Tokens left for the chunk's own text. */
export function chunkBudget(opts: ChunkOptions): number {
  return Math.min(opts.chunkTokens, opts.maxModelTokens) - opts.prefixTokens - SPECIAL_TOKENS;
}

/**
 * Stand-in when no embedder tokenizer exists: about chars/4 for Latin text, but it errs high (chars/3, and one
 * token per CJK/wide character) so chunks cut with it still fit a real tokenizer later.
 */
export const approxTokenCounter: TokenCounter = {
  count(text: string): number {
    let wide = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x2e80) wide++;
    return Math.ceil((text.length - wide) / 3) + wide;
  },
};

interface PageRun {
  start: number;
  end: number;
  page: number | null;
}

/** Consecutive sections on the same page form one run; chunks never cross runs. */
function pageRuns(doc: ParsedDocument): PageRun[] {
  if (doc.sections.length === 0) return [{ start: 0, end: doc.text.length, page: null }];
  const runs: PageRun[] = [];
  for (const s of doc.sections) {
    const last = runs[runs.length - 1];
    if (last && last.page === s.page && last.end === s.charStart) last.end = s.charEnd;
    else runs.push({ start: s.charStart, end: s.charEnd, page: s.page });
  }
  return runs;
}

function headingAt(sections: Section[], offset: number): string[] {
  let lo = 0;
  let hi = sections.length - 1;
  let found: Section | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sections[mid].charStart <= offset) {
      found = sections[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found ? [...found.headingPath] : [];
}

/** End (exclusive segment index) for a full chunk: the best break among the last ones that keep it well filled. */
function preferredEnd(segs: Segment[], from: number, fullEnd: number, budget: number): number {
  let best = fullEnd;
  let bestBreak = segs[fullEnd - 1].breakAfter;
  let tokens = 0;
  for (let k = from; k < fullEnd; k++) {
    tokens += segs[k].tokens;
    if (tokens < budget * MIN_FILL_FOR_BETTER_BREAK) continue;
    if (segs[k].breakAfter > bestBreak) {
      best = k + 1;
      bestBreak = segs[k].breakAfter;
    }
  }
  return bestBreak > Break.Sentence ? best : fullEnd;
}

function packRun(doc: ParsedDocument, run: PageRun, tokenizer: TokenCounter, budget: number, overlap: number, out: Chunk[]): void {
  const pieceTokens = Math.max(MIN_BUDGET >> 1, Math.floor(budget / 4));
  const maxChars = budget * MAX_CHARS_PER_TOKEN;
  const segs = segmentSpan(doc.text, run.start, run.end, tokenizer, { maxTokens: budget, pieceTokens, maxChars });
  let i = 0;
  while (i < segs.length) {
    let j = i;
    let total = 0;
    while (j < segs.length && total + segs[j].tokens <= budget && segs[j].end - segs[i].start <= maxChars) total += segs[j++].tokens;
    if (j === i) j = i + 1; // cannot happen (segments fit the budget), but never stall
    let k = j < segs.length ? preferredEnd(segs, i, j, budget) : j;
    let text = doc.text.slice(segs[i].start, segs[k - 1].end);
    let count = tokenizer.count(text);
    while (count > budget && k > i + 1) {
      k--;
      text = doc.text.slice(segs[i].start, segs[k - 1].end);
      count = tokenizer.count(text);
    }
    out.push({
      text,
      charStart: segs[i].start,
      charEnd: segs[k - 1].end,
      page: run.page,
      headingPath: headingAt(doc.sections, segs[i].start),
      tokenCount: count,
    });
    if (k >= segs.length) break;
    // Carry trailing segments worth at most `overlap` tokens, leaving room for at least the next new segment.
    // Characters are capped in the same proportion, for text whose "words" are single [UNK] tokens.
    let m = k;
    let carried = 0;
    const fits = (at: number): boolean =>
      carried + segs[at].tokens <= overlap && carried + segs[at].tokens + segs[k].tokens <= budget
      && segs[k - 1].end - segs[at].start <= (maxChars * overlap) / budget;
    while (m - 1 > i && fits(m - 1)) carried += segs[--m].tokens;
    i = m;
  }
}

export function chunkDocument(doc: ParsedDocument, tokenizer: TokenCounter, opts: ChunkOptions): Chunk[] {
  const budget = chunkBudget(opts);
  if (!(budget >= MIN_BUDGET)) {
    throw new RangeError(`chunk budget of ${budget} tokens is too small: raise chunkTokens (prefix ${opts.prefixTokens} + ${SPECIAL_TOKENS} special tokens must leave at least ${MIN_BUDGET})`);
  }
  const overlap = Math.max(0, Math.min(opts.overlapTokens, Math.floor(budget / 2)));
  const out: Chunk[] = [];
  for (const run of pageRuns(doc)) packRun(doc, run, tokenizer, budget, overlap, out);
  return out;
}
