// Finds [n] citations in an answer and links each to the passage it names; numbers with no passage are flagged.
import type { Citation } from '../contract/api.js';

/** A bracket holding only numbers, commas, spaces and ranges: [1] [2, 3] [1-3] ［１］ [1、2]. Not [a] or [1](url). */
const CITATION = /[[［]\s*([0-9０-９]+(?:\s*(?:[-–—~〜－‐]|[,，、;；]|\s)\s*[0-9０-９]+)*)\s*[\]］]/gu;

/** A range wider than this is not a citation a model meant, and expanding it could make thousands of entries. */
const MAX_RANGE = 50;

function toAsciiDigits(s: string): string {
  return s.replace(/[０-９]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48));
}

/** The numbers one bracket's content names, in the order written. */
function numbersIn(content: string): number[] {
  const out: number[] = [];
  // Close up "1 - 3" to "1-3" first, so what is left between numbers is a list separator.
  const ascii = toAsciiDigits(content).replace(/\s*[-–—~〜－‐]\s*/gu, '-');
  for (const part of ascii.split(/[,，、;；\s]+/u)) {
    const range = /^(\d+)-(\d+)$/u.exec(part);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      if (hi - lo > MAX_RANGE) out.push(a, b);
      else for (let n = lo; n <= hi; n++) out.push(n);
    } else if (/^\d+$/u.test(part)) {
      out.push(Number(part));
    }
  }
  return out;
}

function cite(n: number, sources: readonly { chunkId: number }[]): Citation {
  const source = n >= 1 ? sources[n - 1] : undefined;
  return source ? { n, chunkId: source.chunkId, valid: true } : { n, chunkId: null, valid: false };
}

/** Every distinct cited number, in order of first appearance; `sources[n-1]` is passage [n]. */
export function parseCitations(text: string, sources: readonly { chunkId: number }[]): Citation[] {
  const seen = new Set<number>();
  const out: Citation[] = [];
  for (const m of text.matchAll(CITATION)) {
    for (const n of numbersIn(m[1]!)) {
      if (seen.has(n)) continue;
      seen.add(n);
      out.push(cite(n, sources));
    }
  }
  return out;
}

/** How far back an unclosed bracket may be and still be a citation in progress. */
const MAX_OPEN_CITATION = 40;

/**
 * For streamed answers: push each token, get back the citations completed by it (each number once). Text after an
 * unclosed bracket is held back until the bracket closes, so "[1" + "2]" gives 12, never 1 then 12.
 */
export class CitationScanner {
  private text = '';
  private scanned = 0;
  private readonly seen = new Set<number>();

  constructor(private readonly sources: readonly { chunkId: number }[]) {}

  push(token: string): Citation[] {
    this.text += token;
    return this.scanTo(this.stableEnd());
  }

  /** The end of the answer: whatever is left is final. */
  finish(): Citation[] {
    return this.scanTo(this.text.length);
  }

  private stableEnd(): number {
    const open = Math.max(this.text.lastIndexOf('['), this.text.lastIndexOf('［'));
    if (open < this.scanned) return this.text.length;
    const closed = /[\]］]/u.test(this.text.slice(open));
    const recent = this.text.length - open <= MAX_OPEN_CITATION;
    return !closed && recent ? open : this.text.length;
  }

  private scanTo(end: number): Citation[] {
    if (end <= this.scanned) return [];
    const found = parseCitations(this.text.slice(this.scanned, end), this.sources).filter((c) => !this.seen.has(c.n));
    for (const c of found) this.seen.add(c.n);
    this.scanned = end;
    return found;
  }
}
