// parseFile: any supported file -> ParsedDocument, or a failure with a code and a reason the user can act on.
// Plain text and code are parsed inline (our own linear code: a worker round trip would only add cost); every
// other format is parsed in the sandbox, within a time and memory budget.
import { bufferHash } from '../content-hash.js';
import { problems } from '../file-problems.js';
import { parseBudget, type ParseBudget } from './budget.js';
import { isBinary } from './decode.js';
import { kindForPath } from './formats.js';
import { parseBytes, type Parsed } from './parse-bytes.js';
import { DEFAULT_MAX_FILE_BYTES, readFileStable, readHead } from './read.js';
import { parseSandbox } from './sandbox.js';
import { fail, type DocKind, type ParseResult } from './types.js';

export type * from './types.js';
export { contentHash } from '../content-hash.js';
export { DEFAULT_MAX_FILE_BYTES } from './read.js';
export { kindForPath } from './formats.js';
export { DEFAULT_PARSE_BUDGET, type ParseBudget } from './budget.js';

export interface ParseOptions {
  /** Files above this many bytes are skipped without being read (default 50 MB). */
  maxBytes?: number;
  /** What one parse may cost (time, memory, PDF pages, unpacked size); defaults in budget.ts. */
  budget?: Partial<ParseBudget>;
  /** Parse every format in this process, without time or memory limits: only to measure what isolation costs. */
  inline?: boolean;
}

/** Parsed inline: our own readers, one pass over the bytes and one section. */
const INLINE_KINDS = new Set<DocKind | 'sniff'>(['text', 'code', 'sniff', 'rtf']);

/** Enough of a file to tell text from binary (see looksBinary). */
const SNIFF_HEAD_BYTES = 8 * 1024;

export async function parseFile(path: string, opts: ParseOptions = {}): Promise<ParseResult> {
  const kind = kindForPath(path);
  if (kind === 'sniff') {
    // Unknown extensions are mostly images, archives and media: decide from the first bytes, not the whole file.
    const head = await readHead(path, SNIFF_HEAD_BYTES);
    if (head && head.length > 0 && isBinary(head)) return fail(problems.binary());
  }
  const read = await readFileStable(path, opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES);
  if (!read.ok) return read;
  const sha256 = bufferHash(read.bytes);
  const budget = parseBudget(opts.budget);
  const parsed: Parsed = opts.inline || INLINE_KINDS.has(kind) ? await parseBytes(kind, read.bytes, budget) : await parseSandbox.run(kind, read.bytes, budget);
  if (!parsed.ok) return parsed;
  if (parsed.doc.text.trim() === '') return fail(parsed.doc.kind === 'pdf' ? problems.noTextLayer() : problems.noText());
  return { ok: true, doc: parsed.doc, size: read.size, mtimeMs: read.mtimeMs, sha256, notes: parsed.notes };
}
