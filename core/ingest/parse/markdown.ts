// Markdown keeps its source text (offsets match what the user wrote); markdown-it's block parser finds the real
// headings, so '#' lines inside code fences are not mistaken for headings and setext headings are found too.
// Why markdown-it and only its block pass: marked's lexer inlined every paragraph and was quadratic on unclosed
// emphasis (1 MB of `*a` took 246 s) and overflowed the stack on deep nesting; markdown-it is tested against
// CommonMark's pathological inputs and caps nesting, and inline parsing runs only on (bounded) heading lines.
import MarkdownIt, { type MarkdownIt as MarkdownItParser, type Token } from 'markdown-it';
import { cleanTitle, sectionsFromHeadings, type HeadingMark } from './sections.js';
import type { ParsedDocument } from './types.js';

/** A title is for display: longer heading lines are cut before their inline markup is read. */
const MAX_TITLE_SOURCE_CHARS = 1_000;

let parsers: { block: MarkdownItParser; inline: MarkdownItParser } | null = null;
function markdownParsers(): { block: MarkdownItParser; inline: MarkdownItParser } {
  if (parsers) return parsers;
  const block = new MarkdownIt('commonmark', { html: true });
  // Only block structure: inline markup (emphasis, links) is read for headings alone, below.
  block.core.ruler.enableOnly(['normalize', 'block']);
  parsers = { block, inline: new MarkdownIt('commonmark', { html: true }) };
  return parsers;
}

/** Plain text of a heading line: emphasis, links and code spans reduced to their words, images to their alt text. */
function headingText(source: string, env: Record<string, unknown>): string {
  const inline = markdownParsers().inline.parseInline(source.slice(0, MAX_TITLE_SOURCE_CHARS), env);
  const words = (tokens: Token[] | null): string =>
    (tokens ?? []).map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : t.type === 'image' ? words(t.children) : t.type === 'softbreak' ? ' ' : '')).join('');
  return words(inline[0]?.children ?? null);
}

/** Offset of the first character of each line (markdown-it maps tokens to line numbers). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function parseMarkdown(text: string): ParsedDocument {
  const marks: HeadingMark[] = [];
  // The block pass collects link reference definitions in env, so `[title][ref]` headings read as their words.
  const env: Record<string, unknown> = {};
  const tokens = markdownParsers().block.parse(text, env);
  let starts: number[] | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    // Top-level headings only: a heading quoted or inside a list item does not open a section of the document.
    if (open.type !== 'heading_open' || open.level !== 0 || !open.map) continue;
    starts ??= lineStarts(text);
    const title = cleanTitle(headingText(tokens[i + 1]?.content ?? '', env));
    if (title) marks.push({ charStart: starts[open.map[0]] ?? text.length, depth: Number(open.tag.slice(1)), title });
  }
  const firstH1 = marks.find((m) => m.depth === 1);
  return {
    kind: 'markdown',
    text,
    sections: sectionsFromHeadings(text.length, marks),
    ...(firstH1 ? { title: firstH1.title } : {}),
  };
}
