// Shapes every parser returns. Offsets are UTF-16 indices into `text`, so a chunk's offsets map back to a
// page (PDF) and a heading path (markdown, HTML, docx) by looking up the section that contains them.

export type DocKind = 'text' | 'markdown' | 'html' | 'pdf' | 'docx' | 'code';

export interface Section {
  charStart: number;
  charEnd: number;
  /** 1-based page for PDFs, null elsewhere. */
  page: number | null;
  /** Enclosing headings, outermost first, e.g. ['Install', 'Linux']. */
  headingPath: string[];
}

export interface ParsedDocument {
  kind: DocKind;
  text: string;
  /** Contiguous, ordered, and together covering [0, text.length). */
  sections: Section[];
  title?: string;
}

/** Why a file was not indexed: a stable code plus a sentence the user can act on. */
export interface ParseFailure {
  ok: false;
  code: ParseFailureCode;
  reason: string;
}

export type ParseFailureCode =
  | 'empty' | 'too-large' | 'binary' | 'garbled' | 'no-text'
  | 'not-found' | 'unreadable' | 'not-a-file' | 'symlink-loop' | 'io-error' | 'changed-during-read'
  | 'encrypted' | 'corrupt' | 'parse-error';

export interface ParseSuccess {
  ok: true;
  doc: ParsedDocument;
  /** Facts about the exact bytes that were parsed, so the caller need not read the file again. */
  size: number;
  mtimeMs: number;
  sha256: string;
  /** Non-fatal notes, e.g. 'invalid UTF-8 replaced (3 bytes)'. */
  warnings: string[];
}

export type ParseResult = ParseSuccess | ParseFailure;

export function fail(code: ParseFailureCode, reason: string): ParseFailure {
  return { ok: false, code, reason };
}
