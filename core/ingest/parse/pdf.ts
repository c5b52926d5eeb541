// PDF text per page with pdfjs (legacy build: the one meant for Node). In Node pdfjs runs its worker code on the
// main thread ("fake worker"), which is what we want: no worker files, no threads. verbosity 0 silences warnings.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { notes as fileNotes, problems, type FileNote } from '../file-problems.js';
import { fail, type ParsedDocument, type ParseFailure, type Section } from './types.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsPromise: Promise<PdfJs> | null = null;
function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsPromise;
}

/** Font metrics and CJK maps ship with pdfjs-dist; pointing at them avoids "missing font data" fallbacks. */
function assetDirs(): { standardFontDataUrl: string; cMapUrl: string } {
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  return { standardFontDataUrl: join(root, 'standard_fonts') + '/', cMapUrl: join(root, 'cmaps') + '/' };
}

const PAGE_SEPARATOR = '\n\n';

function errorName(err: unknown): string {
  return typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
}

export interface PdfLimits {
  /** Pages after this one are not read (a 100k-page PDF once parsed for minutes at 1.25 GB). */
  maxPages: number;
  /** performance.now() after which no further page is read. */
  deadline: number;
}

export async function parsePdf(bytes: Uint8Array, limits?: PdfLimits): Promise<{ ok: true; doc: ParsedDocument; notes: FileNote[] } | ParseFailure> {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) return fail(problems.notAPdf());
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes), // a copy: pdfjs may take ownership of the buffer it is given
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    cMapPacked: true,
    ...assetDirs(),
  });
  let pdf: Awaited<typeof task.promise>;
  try {
    pdf = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    const name = errorName(err);
    if (name === 'PasswordException') return fail(problems.encryptedPdf());
    const detail = err instanceof Error ? err.message : String(err);
    return fail(problems.corruptPdf(detail.replace(/\.$/, '')));
  }
  try {
    const pages: string[] = [];
    const notes: FileNote[] = [];
    const last = Math.min(pdf.numPages, limits?.maxPages ?? Number.POSITIVE_INFINITY);
    if (last < pdf.numPages) notes.push(fileNotes.pdfPageLimit(last, pdf.numPages));
    for (let n = 1; n <= last; n++) {
      if (limits && n > 1 && performance.now() > limits.deadline) {
        notes.splice(0, notes.length, fileNotes.pdfTimeLimit(n - 1, pdf.numPages));
        break;
      }
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      pages.push(text.replace(/[ \t]+\n/g, '\n').trimEnd());
      page.cleanup();
    }
    const sections: Section[] = [];
    let text = '';
    pages.forEach((pageText, i) => {
      const start = text.length;
      text += pageText + (i < pages.length - 1 ? PAGE_SEPARATOR : '');
      sections.push({ charStart: start, charEnd: text.length, page: i + 1, headingPath: [] });
    });
    const meta = await pdf.getMetadata().catch(() => null);
    const info = meta?.info as { Title?: unknown } | undefined;
    const title = typeof info?.Title === 'string' && info.Title.trim() ? info.Title.trim() : undefined;
    return { ok: true, doc: { kind: 'pdf', text, sections, ...(title ? { title } : {}) }, notes };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return fail(problems.corruptPdf(`failed while reading its pages: ${detail}`));
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}
