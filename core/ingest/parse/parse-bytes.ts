// Bytes of one file -> a parsed document, by kind. Runs inline (plain text) or in a parse process (everything
// else); the budget bounds what the PDF and .docx readers may spend. Each format's reader is loaded on first use:
// a parse process that only ever sees Markdown starts without mammoth or pdfjs (hundreds of ms each).
import { problems, type FileNote } from '../file-problems.js';
import type { ParseBudget } from './budget.js';
import { decodeText } from './decode.js';
import { parseRtf } from './rtf.js';
import { parsePlain } from './text.js';
import { fail, type DocKind, type ParsedDocument, type ParseFailure } from './types.js';

export type Parsed = { ok: true; doc: ParsedDocument; notes: FileNote[] } | ParseFailure;

/** Never throws: parsers return failures for known bad inputs; anything else is a bug or an exotic file. */
export async function parseBytes(kind: DocKind | 'sniff', bytes: Buffer, budget: ParseBudget): Promise<Parsed> {
  try {
    return await parseByKind(kind, bytes, budget);
  } catch (err) {
    return fail(problems.parseError(kind === 'sniff' ? 'text' : kind, err instanceof Error ? err.message : String(err)));
  }
}

async function parseByKind(kind: DocKind | 'sniff', bytes: Buffer, budget: ParseBudget): Promise<Parsed> {
  if (kind === 'pdf') {
    const deadline = performance.now() + budget.timeoutMs * budget.pdfSoftDeadlineShare;
    const { parsePdf } = await import('./pdf.js');
    return parsePdf(bytes, { maxPages: budget.maxPdfPages, deadline });
  }
  if (kind === 'docx') {
    const { parseDocx } = await import('./docx.js');
    const r = await parseDocx(bytes, budget.unpack);
    return r.ok ? { ok: true, doc: r.doc, notes: [] } : r;
  }
  if (kind === 'rtf') {
    const r = parseRtf(bytes);
    return r.ok ? { ok: true, doc: r.doc, notes: [] } : r;
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  const { text, notes } = decoded;
  switch (kind) {
    case 'markdown':
      return { ok: true, doc: (await import('./markdown.js')).parseMarkdown(text), notes };
    case 'html':
      return { ok: true, doc: (await import('./html.js')).parseHtml(text, 'html'), notes };
    case 'code':
      return { ok: true, doc: parsePlain(text, 'code'), notes };
    default:
      return { ok: true, doc: parsePlain(text, 'text'), notes };
  }
}
