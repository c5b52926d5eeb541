// Cuts a span of text into small, token-counted pieces for the chunker to pack: paragraphs, lines and sentences
// first; a piece still over the limit is halved at whitespace, and a monster word at characters. Counting whole
// pieces (not words) keeps this fast with a real tokenizer; halving costs O(n log n) only on pathological text.

export interface TokenCounter {
  /** Tokens in `text`, WITHOUT special tokens ([CLS]/[SEP] are the caller's to add). */
  count(text: string): number;
}

/** How good a place the end of a segment is to end a chunk: higher is better. */
export const Break = { InsideWord: 0, Word: 1, Sentence: 2, Line: 3, Paragraph: 4 } as const;
export type Break = (typeof Break)[keyof typeof Break];

export interface Segment {
  /** Offsets into the document text; the piece is trimmed of surrounding whitespace. */
  start: number;
  end: number;
  tokens: number;
  breakAfter: Break;
}

const SPACE = /\s/;
const SENTENCE_END = new Set(['.', '!', '?']);
/** Closing quotes and brackets that may follow a sentence end: `He said "Stop."` ends after the quote. */
const CLOSERS = new Set([')', '"', "'", ']', '’', '”']);
const CJK_STOPS = new Set(['。', '！', '？']);

interface Boundary {
  /** Where the boundary starts and ends in the text (the whitespace it consumes; empty after a CJK stop). */
  start: number;
  end: number;
  strength: Break;
}

/**
 * Boundaries in [start, end), in one left-to-right pass over each whitespace run: a run holding two newlines is a
 * paragraph break, one newline a line break, any other run right after a sentence end (optionally closed by a quote
 * or bracket) a sentence break; a CJK full stop ends a sentence with or without whitespace. A regex did this before
 * and backtracked over every long run of spaces (quadratic: 1 MB of spaces took half an hour); this is linear.
 */
function* boundaries(text: string, start: number, end: number): Generator<Boundary> {
  let i = start;
  while (i < end) {
    const ch = text[i];
    const afterCjkStop = CJK_STOPS.has(ch);
    if (!afterCjkStop && !SPACE.test(ch)) {
      i++;
      continue;
    }
    const runStart = afterCjkStop ? i + 1 : i;
    let j = runStart;
    let newlines = 0;
    while (j < end && SPACE.test(text[j])) if (text[j++] === '\n') newlines++;
    if (newlines >= 2) yield { start: runStart, end: j, strength: Break.Paragraph };
    else if (newlines === 1) yield { start: runStart, end: j, strength: Break.Line };
    else if (afterCjkStop || (j > runStart && followsSentenceEnd(text, start, runStart))) yield { start: runStart, end: j, strength: Break.Sentence };
    i = Math.max(j, i + 1);
  }
}

/** Whether the text before `at` ends a sentence: [.!?] then any closers. Scans back over closers only (linear overall). */
function followsSentenceEnd(text: string, floor: number, at: number): boolean {
  let k = at - 1;
  while (k >= floor && CLOSERS.has(text[k])) k--;
  return k >= floor && SENTENCE_END.has(text[k]);
}

function trimRange(text: string, start: number, end: number): [number, number] {
  while (start < end && SPACE.test(text[start])) start++;
  while (end > start && SPACE.test(text[end - 1])) end--;
  return [start, end];
}

export interface SegmentLimits {
  /** No segment may exceed this (the chunk budget). */
  maxTokens: number;
  /** Over-long sentences are cut into pieces of at most this many tokens, so overlap stays fine-grained. */
  pieceTokens: number;
  /**
   * No segment may exceed this many characters either: a tokenizer may count a huge unknown "word" as one
   * [UNK] token, and a megabyte chunk is useless even if it "fits".
   */
  maxChars: number;
}

/** Conservative token estimate (chars/3) used only to size pieces before they are counted for real. */
const estimate = (chars: number): number => Math.ceil(chars / 3);

export function segmentSpan(text: string, start: number, end: number, counter: TokenCounter, limits: SegmentLimits): Segment[] {
  const out: Segment[] = [];
  let cursor = start;
  const emit = (s: number, e: number, breakAfter: Break): void => {
    const [ts, te] = trimRange(text, s, e);
    if (te <= ts) return;
    // Counting a huge piece only to learn it is too big would cost as much as tokenizing it: skip straight to cutting.
    if (te - ts <= limits.maxChars) {
      const tokens = counter.count(text.slice(ts, te));
      if (tokens <= limits.maxTokens) {
        out.push({ start: ts, end: te, tokens, breakAfter });
        return;
      }
    }
    cutLongPiece(text, ts, te, breakAfter, counter, limits, out);
  };
  for (const b of boundaries(text, start, end)) {
    if (b.start > cursor) emit(cursor, b.start, b.strength);
    cursor = Math.max(cursor, b.end);
  }
  if (cursor < end) emit(cursor, end, Break.Paragraph);
  return out;
}

/**
 * A piece over the budget: group its words into runs estimated to fit `pieceTokens`, count each run once (linear
 * cost overall), and halve the rare run the estimate got wrong. Words too long on their own are cut at characters.
 */
function cutLongPiece(text: string, start: number, end: number, breakAfter: Break, counter: TokenCounter, limits: SegmentLimits, out: Segment[]): void {
  const target = limits.pieceTokens;
  const maxChars = Math.min(limits.maxChars, target * 3);
  const words = /\S+/g;
  words.lastIndex = start;
  let groupStart = -1;
  let groupEnd = -1;
  const flush = (b: Break): void => {
    if (groupStart !== -1) pushFitting(text, groupStart, groupEnd, b, counter, target, limits.maxChars, out);
    groupStart = -1;
  };
  for (let m = words.exec(text); m !== null && m.index < end; m = words.exec(text)) {
    const ws = m.index;
    const we = Math.min(end, ws + m[0].length);
    if (we - ws > maxChars || estimate(we - ws) > target) {
      flush(Break.Word);
      for (let s = ws; s < we; ) {
        let e = Math.min(we, s + maxChars);
        if (e < we && isLowSurrogate(text.charCodeAt(e))) e--;
        pushFitting(text, s, e, e === we ? Break.Word : Break.InsideWord, counter, target, limits.maxChars, out);
        s = e;
      }
      continue;
    }
    if (groupStart !== -1 && (we - groupStart > maxChars || estimate(we - groupStart) > target)) flush(Break.Word);
    if (groupStart === -1) groupStart = ws;
    groupEnd = we;
  }
  flush(Break.Word);
  if (out.length > 0) out[out.length - 1].breakAfter = breakAfter;
}

/** Counts [start, end) and pushes it, or halves it (at whitespace, else between characters) until the halves fit. */
function pushFitting(text: string, start: number, end: number, breakAfter: Break, counter: TokenCounter, target: number, maxChars: number, out: Segment[]): void {
  const tokens = counter.count(text.slice(start, end));
  if ((tokens <= target && end - start <= maxChars) || end - start <= 1) {
    // A single character cannot be cut further (a budget of >= 8 tokens always holds one in practice).
    out.push({ start, end, tokens, breakAfter });
    return;
  }
  const [leftEnd, rightStart] = halfway(text, start, end);
  if (leftEnd > start) pushFitting(text, start, leftEnd, rightStart > leftEnd ? Break.Word : Break.InsideWord, counter, target, maxChars, out);
  if (end > rightStart) pushFitting(text, rightStart, end, breakAfter, counter, target, maxChars, out);
}

/** Where to halve [start, end): the whitespace run nearest the middle, else the middle character. */
function halfway(text: string, start: number, end: number): [number, number] {
  const mid = (start + end) >> 1;
  for (let d = 0; mid - d > start || mid + d < end; d++) {
    for (const at of [mid + d, mid - d]) {
      if (at <= start || at >= end || !SPACE.test(text[at])) continue;
      let l = at;
      while (l > start && SPACE.test(text[l - 1])) l--;
      let r = at;
      while (r < end && SPACE.test(text[r])) r++;
      return [l, r];
    }
  }
  const cut = isLowSurrogate(text.charCodeAt(mid)) && mid - 1 > start ? mid - 1 : mid;
  return [cut, cut];
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
