// parseFile: any supported file -> ParsedDocument, or a failure with a code and a reason the user can act on.
import { bufferHash } from '../content-hash.js';
import { decodeText, isUtf16, looksBinary } from './decode.js';
import { parseDocx } from './docx.js';
import { kindForPath } from './formats.js';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';
import { parsePdf } from './pdf.js';
import { DEFAULT_MAX_FILE_BYTES, readFileStable, readHead } from './read.js';
import { parsePlain } from './text.js';
import { problems, type FileNote } from '../file-problems.js';
import { fail, type DocKind, type ParsedDocument, type ParseFailure, type ParseResult } from './types.js';

export type * from './types.js';
export { contentHash } from '../content-hash.js';
export { DEFAULT_MAX_FILE_BYTES } from './read.js';
export { kindForPath } from './formats.js';

export interface ParseOptions {
  /** Files above this many bytes are skipped without being read (default 50 MB). */
  maxBytes?: number;
}

type Parsed = { ok: true; doc: ParsedDocument; notes: FileNote[] } | ParseFailure;

async function parseBytes(kind: DocKind | 'sniff', bytes: Buffer): Promise<Parsed> {
  if (kind === 'pdf' || kind === 'docx') {
    const r = kind === 'pdf' ? await parsePdf(bytes) : await parseDocx(bytes);
    return r.ok ? { ok: true, doc: r.doc, notes: [] } : r;
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  const { text, notes } = decoded;
  switch (kind) {
    case 'markdown':
      return { ok: true, doc: parseMarkdown(text), notes };
    case 'html':
      return { ok: true, doc: parseHtml(text, 'html'), notes };
    case 'code':
      return { ok: true, doc: parsePlain(text, 'code'), notes };
    default:
      return { ok: true, doc: parsePlain(text, 'text'), notes };
  }
}

/** Enough of a file to tell text from binary (see looksBinary). */
const SNIFF_HEAD_BYTES = 8 * 1024;

export async function parseFile(path: string, opts: ParseOptions = {}): Promise<ParseResult> {
  const kind = kindForPath(path);
  if (kind === 'sniff') {
    // Unknown extensions are mostly images, archives and media: decide from the first bytes, not the whole file.
    const head = await readHead(path, SNIFF_HEAD_BYTES);
    if (head && head.length > 0 && !isUtf16(head) && looksBinary(head)) return fail(problems.binary());
  }
  const read = await readFileStable(path, opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES);
  if (!read.ok) return read;
  const sha256 = bufferHash(read.bytes);
  let parsed: Parsed;
  try {
    parsed = await parseBytes(kind, read.bytes);
  } catch (err) {
    // Parsers return failures for known bad inputs; anything else is a bug or an exotic file, never a crash.
    const detail = err instanceof Error ? err.message : String(err);
    return fail(problems.parseError(kind === 'sniff' ? 'text' : kind, detail));
  }
  if (!parsed.ok) return parsed;
  if (parsed.doc.text.trim() === '') {
    return fail(parsed.doc.kind === 'pdf' ? problems.noTextLayer() : problems.noText());
  }
  return { ok: true, doc: parsed.doc, size: read.size, mtimeMs: read.mtimeMs, sha256, notes: parsed.notes };
}
