// HTML -> readable text: no script/style/noscript contents, entities decoded, whitespace collapsed as a browser
// would, block elements on their own lines, and h1-h6 opening sections. docx reuses it via mammoth's HTML.
import { Parser } from 'htmlparser2';
import { cleanTitle, sectionsFromHeadings, type HeadingMark } from './sections.js';
import type { DocKind, ParsedDocument } from './types.js';

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'title', 'svg', 'math', 'iframe', 'object', 'canvas', 'select']);
/** Blocks that read as paragraphs: a blank line around them. */
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'figure', 'section', 'article', 'header', 'footer', 'aside', 'nav', 'main', 'ul', 'ol', 'dl', 'hr', 'form', 'fieldset', 'details']);
/** Blocks that just start a new line. */
const LINE = new Set(['div', 'li', 'dt', 'dd', 'tr', 'caption', 'figcaption', 'address', 'summary', 'legend', 'option', 'body', 'html']);
const CELL = new Set(['td', 'th']);

class TextBuilder {
  private parts: string[] = [];
  length = 0;
  private pendingBreak = 0;
  private pendingSpace = false;

  requestBreak(newlines: number): void {
    if (this.length > 0) this.pendingBreak = Math.max(this.pendingBreak, newlines);
  }

  requestSpace(): void {
    if (this.length > 0) this.pendingSpace = true;
  }

  /** Appends visible text; returns where it starts (after any pending break). */
  write(s: string): number {
    if (this.pendingBreak > 0) this.push('\n'.repeat(this.pendingBreak));
    else if (this.pendingSpace) this.push(' ');
    this.pendingBreak = 0;
    this.pendingSpace = false;
    const start = this.length;
    this.push(s);
    return start;
  }

  private push(s: string): void {
    this.parts.push(s);
    this.length += s.length;
  }

  toString(): string {
    return this.parts.join('');
  }
}

interface OpenHeading {
  depth: number;
  start: number | null;
  words: string[];
}

export function parseHtml(html: string, kind: Extract<DocKind, 'html' | 'docx'> = 'html'): ParsedDocument {
  const out = new TextBuilder();
  const marks: HeadingMark[] = [];
  const skipStack: boolean[] = [];
  let skipDepth = 0;
  let preDepth = 0;
  let inTitle = false;
  let titleText = '';
  let heading: OpenHeading | null = null;

  const emit = (s: string): void => {
    const start = out.write(s);
    if (heading) {
      heading.start ??= start;
      heading.words.push(s);
    }
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        // <title> gives the document title, not body text: captured in ontext, then skipped.
        if (name === 'title') inTitle = true;
        const skip = SKIP.has(name) || 'hidden' in attrs;
        skipStack.push(skip);
        if (skip) skipDepth++;
        if (skipDepth > 0) return;
        if (name === 'pre') preDepth++;
        if (PARAGRAPH.has(name)) out.requestBreak(2);
        else if (LINE.has(name)) out.requestBreak(1);
        else if (CELL.has(name)) out.requestSpace();
        else if (name === 'br') out.requestBreak(1);
        else if (name === 'img' && attrs.alt) emit(attrs.alt);
        const m = /^h([1-6])$/.exec(name);
        if (m) heading = { depth: Number(m[1]), start: null, words: [] };
      },
      ontext(data) {
        if (inTitle) titleText += data;
        if (skipDepth > 0) return;
        if (preDepth > 0) {
          if (data.length > 0) emit(data);
          return;
        }
        // Collapse whitespace as a browser does; leading/trailing whitespace becomes one pending space.
        if (/^\s/.test(data)) out.requestSpace();
        const words = data.split(/\s+/).filter(Boolean);
        words.forEach((w, i) => {
          if (i > 0) out.requestSpace();
          emit(w);
        });
        if (words.length > 0 && /\s$/.test(data)) out.requestSpace();
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        const skipped = skipStack.pop() ?? false;
        if (skipped) {
          skipDepth--;
          return;
        }
        if (skipDepth > 0) return;
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        if (/^h[1-6]$/.test(name) && heading) {
          const title = cleanTitle(heading.words.join(' '));
          if (heading.start !== null && title) marks.push({ charStart: heading.start, depth: heading.depth, title });
          heading = null;
        }
        if (PARAGRAPH.has(name)) out.requestBreak(2);
        else if (LINE.has(name)) out.requestBreak(1);
        else if (CELL.has(name)) out.requestSpace();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();

  const text = out.toString();
  const title = cleanTitle(titleText) || marks.find((m) => m.depth === 1)?.title;
  return { kind, text, sections: sectionsFromHeadings(text.length, marks), ...(title ? { title } : {}) };
}
