// Hostile texts, generated (never shipped): each once made a parser or the chunker super-linear. The child-side
// entry points run them through the real code so tests can hold them to a deadline in a separate process.
import { approxTokenCounter, chunkDocument } from '../../../core/ingest/chunk.js';
import { parseHtml } from '../../../core/ingest/parse/html.js';
import { parseMarkdown } from '../../../core/ingest/parse/markdown.js';
import { parseRtf } from '../../../core/ingest/parse/rtf.js';
import { parsePlain } from '../../../core/ingest/parse/text.js';

const MB = 1024 * 1024;

export const HOSTILE_TEXTS = {
  /** One line: a word, a megabyte of spaces, a word (the old boundary regex backtracked over the run). */
  spaces: (n = MB) => `start ${' '.repeat(n)} end`,
  /** Sentence ends separated by ever longer runs of spaces and tabs, then a megabyte of closing brackets. */
  sentences: (n = MB) => `${'Go. \t'.repeat(n / 8)}${')'.repeat(n / 2)} after`,
  /** Markdown emphasis that never closes: `*a*a*a...` (marked took 246 s on a megabyte). */
  starA: (n = MB) => '*a'.repeat(n / 2),
  /** Deeply nested Markdown: block quotes, list items, brackets and emphasis. */
  nestedMarkdown: (n = MB) => `${'> '.repeat(n / 8)}quote\n\n${'- '.repeat(n / 8)}item\n\n${'['.repeat(n / 8)}x${'](u)'.repeat(n / 32)}\n\n${'**'.repeat(n / 16)}b\n`,
  /** Deeply nested HTML elements. */
  nestedHtml: (n = MB) => `<html><body>${'<div><span><b>'.repeat(n / 32)}deep${'</b></span></div>'.repeat(n / 64)}</body></html>`,
  /** Open tags never closed, then close tags never opened: each unmatched close searches the open elements. */
  unmatchedHtml: (n = MB) => `${'<div><p>t'.repeat(n / 16)}${'</x>'.repeat(n / 8)}`,
} as const satisfies Record<string, (n?: number) => string>;

export type HostileText = keyof typeof HOSTILE_TEXTS;

/** Child side: chunk one hostile text as plain text; returns the chunk count and the characters covered. */
export function chunkHostile(name: HostileText, bytes: number): { chunks: number; chars: number } {
  const text = HOSTILE_TEXTS[name](bytes);
  const chunks = chunkDocument(parsePlain(text, 'text'), approxTokenCounter, { chunkTokens: 256, overlapTokens: 32, prefixTokens: 0, maxModelTokens: 512 });
  return { chunks: chunks.length, chars: chunks.reduce((n, c) => n + c.text.replace(/\s/g, '').length, 0) };
}

/** Child side: parse one hostile text as Markdown or HTML, then chunk it; returns the section and chunk counts. */
export function parseHostile(name: HostileText, bytes: number, as: 'markdown' | 'html'): { sections: number; chunks: number } {
  const text = HOSTILE_TEXTS[name](bytes);
  const doc = as === 'markdown' ? parseMarkdown(text) : parseHtml(text);
  const chunks = chunkDocument(doc, approxTokenCounter, { chunkTokens: 256, overlapTokens: 32, prefixTokens: 0, maxModelTokens: 512 });
  return { sections: doc.sections.length, chunks: chunks.length };
}

/** Child side: a megabyte of nested RTF groups and control words through the RTF reader. */
export function parseHostileRtf(bytes: number): { chars: number } {
  const body = `${'{\\b '.repeat(bytes / 8)}deep${'}'.repeat(bytes / 8)}${'\\par x'.repeat(bytes / 12)}`;
  const r = parseRtf(Buffer.from(`{\\rtf1\\ansi ${body}}`, 'latin1'));
  return { chars: r.ok ? r.doc.text.length : -1 };
}
