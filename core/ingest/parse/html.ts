// HTML -> readable text: no script/style/noscript contents, entities decoded, whitespace collapsed as a browser
// would, block elements on their own lines, and h1-h6 opening sections. docx reuses it via mammoth's HTML.
// htmlparser2's tokenizer reads the markup; the element stack is ours, capped in depth as browsers cap theirs:
// htmlparser2's own Parser keeps its stack with unshift/indexOf and took 17 s on 1 MB of nested tags (quadratic).
import { Tokenizer } from 'htmlparser2';
import { cleanTitle, sectionsFromHeadings, type HeadingMark } from './sections.js';
import type { DocKind, ParsedDocument } from './types.js';

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'title', 'svg', 'math', 'iframe', 'object', 'canvas', 'select']);
/** Blocks that read as paragraphs: a blank line around them. */
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'figure', 'section', 'article', 'header', 'footer', 'aside', 'nav', 'main', 'ul', 'ol', 'dl', 'hr', 'form', 'fieldset', 'details']);
/** Blocks that just start a new line. */
const LINE = new Set(['div', 'li', 'dt', 'dd', 'tr', 'caption', 'figcaption', 'address', 'summary', 'legend', 'option', 'body', 'html']);
const CELL = new Set(['td', 'th']);
/** Elements that never have content or a closing tag. */
const VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Opening the key closes open elements of these names at the top of the stack (HTML's common implied end tags). */
const P_ONLY = new Set(['p']);
const HEADINGS_AND_P = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p']);
const IMPLIED_CLOSE = new Map<string, Set<string>>([
  ...[...PARAGRAPH, 'div', 'address', 'figcaption'].filter((n) => !/^h[1-6]$/.test(n)).map((n) => [n, P_ONLY] as const),
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((n) => [n, HEADINGS_AND_P] as const),
  ['li', new Set(['li'])], ['dt', new Set(['dt', 'dd'])], ['dd', new Set(['dt', 'dd'])],
  ['tr', new Set(['tr', 'th', 'td'])], ['td', new Set(['th', 'td'])], ['th', new Set(['th', 'td'])],
  ['option', new Set(['option'])], ['optgroup', new Set(['optgroup', 'option'])], ['body', new Set(['head'])],
]);
/**
 * Deeper elements still give their text but are not tracked (browsers cap their trees at 512 too). Keeps every
 * close-tag lookup bounded, so parsing stays linear whatever the nesting.
 */
const MAX_DEPTH = 512;

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

interface OpenElement {
  name: string;
  skip: boolean;
}

export function parseHtml(html: string, kind: Extract<DocKind, 'html' | 'docx'> = 'html'): ParsedDocument {
  const out = new TextBuilder();
  const marks: HeadingMark[] = [];
  const stack: OpenElement[] = [];
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

  const text = (data: string): void => {
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
  };

  /** What opening `name` does to the text; returns whether its content is skipped. */
  const opened = (name: string, attrs: Record<string, string>): boolean => {
    // <title> gives the document title, not body text: captured in text(), then skipped.
    if (name === 'title') inTitle = true;
    const skip = SKIP.has(name) || 'hidden' in attrs;
    if (skip) skipDepth++;
    if (skipDepth > 0) return skip;
    if (name === 'pre') preDepth++;
    if (PARAGRAPH.has(name)) out.requestBreak(2);
    else if (LINE.has(name)) out.requestBreak(1);
    else if (CELL.has(name)) out.requestSpace();
    else if (name === 'br') out.requestBreak(1);
    else if (name === 'img' && attrs.alt) emit(attrs.alt);
    const m = /^h([1-6])$/.exec(name);
    if (m) heading = { depth: Number(m[1]), start: null, words: [] };
    return skip;
  };

  const closed = (el: OpenElement): void => {
    const { name } = el;
    if (name === 'title') inTitle = false;
    if (el.skip) {
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
  };

  const pop = (): void => closed(stack.pop() as OpenElement);

  let tagName = '';
  let attrs: Record<string, string> = {};
  let attrName = '';
  let attrValue = '';

  const finishOpenTag = (selfClosing: boolean): void => {
    const name = tagName;
    const implied = IMPLIED_CLOSE.get(name);
    if (implied) while (stack.length > 0 && implied.has(stack[stack.length - 1].name)) pop();
    if (VOID.has(name)) {
      closed({ name, skip: opened(name, attrs) });
      return;
    }
    if (stack.length >= MAX_DEPTH) return; // untracked: its text still counts, its tags do not
    const el = { name, skip: opened(name, attrs) };
    stack.push(el);
    if (selfClosing) pop();
  };

  const tokenizer = new Tokenizer({ decodeEntities: true }, {
    ontext(start, end) { text(html.slice(start, end)); },
    ontextentity(cp) { text(String.fromCodePoint(cp)); },
    onopentagname(start, end) {
      tagName = html.slice(start, end).toLowerCase();
      attrs = {};
    },
    onattribname(start, end) {
      attrName = html.slice(start, end).toLowerCase();
      attrValue = '';
    },
    onattribdata(start, end) { attrValue += html.slice(start, end); },
    onattribentity(cp) { attrValue += String.fromCodePoint(cp); },
    onattribend() {
      if (!Object.hasOwn(attrs, attrName)) attrs[attrName] = attrValue;
      attrValue = '';
    },
    onopentagend() { finishOpenTag(false); },
    onselfclosingtag() { finishOpenTag(true); },
    onclosetag(start, end) {
      const name = html.slice(start, end).toLowerCase();
      let at = -1;
      for (let i = stack.length - 1; i >= 0; i--) {
        if (stack[i].name === name) {
          at = i;
          break;
        }
      }
      if (at !== -1) while (stack.length > at) pop();
      else if (name === 'br') out.requestBreak(1); // </br> acts as <br>, as browsers do
      else if (name === 'p') out.requestBreak(2);
    },
    oncdata() {},
    oncomment() {},
    ondeclaration() {},
    onprocessinginstruction() {},
    onend() {
      while (stack.length > 0) pop();
    },
  });
  tokenizer.write(html);
  tokenizer.end();

  const result = out.toString();
  const title = cleanTitle(titleText) || marks.find((m) => m.depth === 1)?.title;
  return { kind, text: result, sections: sectionsFromHeadings(result.length, marks), ...(title ? { title } : {}) };
}
