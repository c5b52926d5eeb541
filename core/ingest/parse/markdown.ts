// Markdown keeps its source text (offsets match what the user wrote); marked's lexer finds the real headings,
// so '#' lines inside code fences are not mistaken for headings and setext headings are found too.
import { Lexer, type Token } from 'marked';
import { cleanTitle, sectionsFromHeadings, type HeadingMark } from './sections.js';
import type { ParsedDocument } from './types.js';

/** Plain text of inline tokens: emphasis, links and code spans reduced to their words. */
function inlineText(tokens: Token[] | undefined, fallback: string): string {
  if (!tokens || tokens.length === 0) return fallback;
  return tokens
    .map((t) => {
      if ('tokens' in t && Array.isArray(t.tokens) && t.tokens.length > 0) return inlineText(t.tokens, '');
      if (t.type === 'image') return t.text;
      return 'text' in t && typeof t.text === 'string' ? t.text : '';
    })
    .join('');
}

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _);
}

export function parseMarkdown(text: string): ParsedDocument {
  const marks: HeadingMark[] = [];
  let cursor = 0;
  for (const token of Lexer.lex(text)) {
    // Locate each block's raw source from the cursor: robust even if marked trims or rewrites some whitespace.
    const at = token.raw ? text.indexOf(token.raw, cursor) : -1;
    const start = at === -1 ? cursor : at;
    if (token.type === 'heading') {
      const title = cleanTitle(decodeEntities(inlineText(token.tokens, token.text)));
      if (title) marks.push({ charStart: start, depth: token.depth, title });
    }
    if (at !== -1) cursor = at + token.raw.length;
  }
  const firstH1 = marks.find((m) => m.depth === 1);
  return {
    kind: 'markdown',
    text,
    sections: sectionsFromHeadings(text.length, marks),
    ...(firstH1 ? { title: firstH1.title } : {}),
  };
}
