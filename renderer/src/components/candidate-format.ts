// How a candidate passage is named on screen: its file and page, never its internal chunk id.
import type { RerankedCandidate } from '../../../core/contract/api.js';

export function basename(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** "report.pdf · page 3": enough to tell two chunks of one PDF apart. */
export function where(c: Pick<RerankedCandidate, 'path' | 'page'>, page: (n: number) => string): string {
  return c.page != null ? `${basename(c.path)} · ${page(c.page)}` : basename(c.path);
}

export function fmt(x: number | null | undefined): string {
  return x == null ? '—' : x.toFixed(3);
}
