import type { FileNote, FileProblem } from '../file-problems.js';
import { reasonLine } from '../file-problems.js';
import type { FileProblemCode } from '../../contract/vocabulary.js';

// Shapes every parser returns. Offsets are UTF-16 indices into `text`, so a chunk's offsets map back to a
// page (PDF) and a heading path (markdown, HTML, docx) by looking up the section that contains them.

export type DocKind = 'text' | 'markdown' | 'html' | 'pdf' | 'docx' | 'code' | 'rtf';

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
  /** The problem as one English line (message: action). */
  reason: string;
  /** The same as an AppError, for the UI to word in the user's language. */
  problem: FileProblem;
}

export type ParseFailureCode = FileProblemCode;

export interface ParseSuccess {
  ok: true;
  doc: ParsedDocument;
  /** Facts about the exact bytes that were parsed, so the caller need not read the file again. */
  size: number;
  mtimeMs: number;
  sha256: string;
  /** How the text differs from what was written, e.g. decoded from Shift_JIS, or only the first pages of a PDF. */
  notes: FileNote[];
}

export type ParseResult = ParseSuccess | ParseFailure;

export function fail(problem: FileProblem): ParseFailure {
  return { ok: false, code: problem.code, reason: reasonLine(problem), problem };
}
