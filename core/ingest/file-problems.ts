// Every sentence the indexer says about a file, in one place: why it was not indexed (a problem) or what to know
// about how it was (a note). Each is an AppError with a stable code and the values it names as params, so the UI
// can word it in the user's language; `reasonLine` gives the one English line stored and printed as the reason.
import type { AppError } from '../contract/api.js';
import type { FileNoteCode, FileProblemCode } from '../contract/vocabulary.js';

export interface FileProblem extends AppError {
  code: FileProblemCode;
  action: string;
}

export interface FileNote extends AppError {
  code: FileNoteCode;
  action: string;
}

type Params = Record<string, string | number>;
const problem = (code: FileProblemCode, message: string, action: string, params?: Params): FileProblem =>
  ({ code, message, action, ...(params ? { params } : {}) });
const note = (code: FileNoteCode, message: string, action: string, params?: Params): FileNote =>
  ({ code, message, action, ...(params ? { params } : {}) });

/** The line users read for a problem or a note: what happened, then what to do. */
export function reasonLine(e: AppError): string {
  return e.action ? `${e.message}: ${e.action}` : e.message;
}

export function formatMB(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1024) return `${(mb / 1024).toFixed(1)} GB`;
  return mb >= 10 ? `${Math.round(mb)} MB` : `${mb.toFixed(mb >= 1 ? 1 : 2)} MB`;
}

/** Two sizes for one sentence; near each other both round to the same figure, and exact bytes then say why. */
function twoSizes(a: number, b: number): [string, string] {
  const [x, y] = [formatMB(a), formatMB(b)];
  return x === y ? [`${a} bytes`, `${b} bytes`] : [x, y];
}

export type Thing = 'file' | 'folder';

export const problems = {
  empty: () => problem('empty', 'empty file', 'nothing to index'),
  tooLarge: (bytes: number, limitBytes: number) => {
    const [size, limit] = twoSizes(bytes, limitBytes);
    return problem('too-large', `too large (${size} > limit ${limit})`, 'raise the size limit to index it', { size, limit });
  },
  binary: () => problem('binary', 'binary file', 'not indexed'),
  garbled: () => problem('garbled', 'not readable text (no text encoding fits its bytes)', 'save it as UTF-8 to index it'),
  noText: () => problem('no-text', 'no text content', 'nothing to index'),
  noTextLayer: () => problem('no-text-layer', 'no text layer (a scanned PDF?)', 'run OCR on it to index it'),
  notFound: (what: Thing) => problem('not-found', `${what} disappeared before it could be read (deleted or moved)`, 'nothing to do: it leaves the index', { what }),
  unreadable: (what: Thing) => problem('unreadable', `permission denied: cannot read this ${what}`, 'check its permissions', { what }),
  isAFolder: () => problem('is-a-folder', 'is a folder, not a file (it changed while scanning)', 'it is scanned as a folder on the next run'),
  pathChanged: () => problem('path-changed', 'a folder on its path was replaced by a file while scanning', 'it is picked up again on the next scan'),
  ioError: (what: Thing, detail: string) => problem('io-error', `cannot read ${what}: ${detail}`, 'check the disk, then index again', { what, detail }),
  notRegularFile: () => problem('not-regular-file', 'not a regular file (pipe, socket or device)', 'not indexed'),
  changedDuringRead: () => problem('changed-during-read', 'file changed while it was being read', 'it will be picked up again on the next scan'),
  unreadableFileName: (name: string) => problem('unreadable-file-name', `the file name is not valid UTF-8 (${name})`, 'rename it to index it', { name }),
  notAFolder: () => problem('not-a-folder', 'not a folder', 'pick a folder to index'),
  symlinkLoop: () => problem('symlink-loop', 'symlink loop: the link leads back to itself', 'fix or remove the link'),
  brokenSymlink: () => problem('broken-symlink', 'broken symlink: its target does not exist', 'fix or remove the link'),
  symlinkToAncestor: (folder: string) => problem('symlink-to-ancestor', `symlink loop: links back to a folder that contains it (${folder})`, 'not followed', { folder }),
  duplicateFolder: (folder: string) => problem('duplicate-folder', `duplicate: the same folder is already indexed as ${folder}`, 'indexed once, there', { folder }),
  linkIntoIgnored: (folder: string) => problem('link-into-ignored', `links into an ignored folder (${folder})`, 'not followed', { folder }),
  ownStore: () => problem('own-store', "localrag's own index (its store folder)", 'never indexed'),
  ownModels: () => problem('own-models', "localrag's models folder", 'never indexed'),
  notAPdf: () => problem('not-a-pdf', 'not a valid PDF (no PDF header): the file is damaged or mislabelled', 'not indexed'),
  encryptedPdf: () => problem('encrypted-pdf', 'password-protected PDF', 'remove the password to index it'),
  corruptPdf: (detail: string) => problem('corrupt-pdf', `damaged PDF (${detail})`, 'repair or re-export it to index it', { detail }),
  notADocx: () => problem('not-a-docx', 'not a valid .docx file (damaged, or not really a Word document)', 're-save it in Word to index it'),
  encryptedDocx: () => problem('encrypted-docx', 'password-protected or old-format Word file', 'remove the password or save it as .docx to index it'),
  corruptDocx: (detail: string) => problem('corrupt-docx', `damaged .docx file (${detail})`, 're-save it in Word to index it', { detail }),
  corruptRtf: (detail: string) => problem('corrupt-rtf', `damaged RTF file (${detail})`, 're-save it to index it', { detail }),
  parseError: (kind: string, detail: string) => problem('parse-error', `could not parse this ${kind} file: ${detail}`, 'not indexed', { kind, detail }),
  parseTimeout: (seconds: number) => problem('parse-timeout', `took too long to parse (over ${seconds} s)`, 'split it into smaller files to index it', { seconds }),
  parseMemoryLimit: (limitMb: number) => problem('parse-memory-limit', `needs more than ${limitMb} MB of memory to parse`, 'split it into smaller files to index it', { limit: `${limitMb} MB` }),
  unpackedTooLarge: (unpackedBytes: number, fileBytes: number, limitBytes: number) => {
    const [unpacked, limit] = twoSizes(unpackedBytes, limitBytes);
    const size = formatMB(fileBytes);
    return problem('unpacked-too-large', `too large when unpacked (${unpacked} from a ${size} file; limit ${limit})`, 'split it into smaller documents to index it', { unpacked, size, limit });
  },
};

export const notes = {
  decodedAs: (encoding: string) => note('decoded-as', `decoded as ${encoding}`, 'save it as UTF-8 if its text looks wrong', { encoding }),
  decodedWithLosses: (encoding: string, replaced: number) =>
    note('decoded-with-losses', `decoded as ${encoding}; ${replaced} unreadable character(s) replaced with \uFFFD`, 'save it as UTF-8 to index it exactly', { encoding, replaced }),
  pdfPageLimit: (indexed: number, total: number) =>
    note('pdf-page-limit', `only the first ${indexed} of ${total} pages were indexed (page limit)`, 'split the PDF to index the rest', { indexed, total }),
  pdfTimeLimit: (indexed: number, total: number) =>
    note('pdf-time-limit', `only the first ${indexed} of ${total} pages were indexed (the rest took too long)`, 'split the PDF to index the rest', { indexed, total }),
};

export function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** Node fs errors as the problem users see for a file or folder. */
export function fsProblem(err: unknown, what: Thing = 'file'): FileProblem {
  switch (errnoOf(err)) {
    case 'ENOENT':
      return problems.notFound(what);
    case 'EACCES':
    case 'EPERM':
      return problems.unreadable(what);
    case 'EISDIR':
      return problems.isAFolder();
    case 'ENOTDIR':
      return problems.pathChanged();
    case 'ELOOP':
      return problems.symlinkLoop();
    default:
      return problems.ioError(what, err instanceof Error ? err.message : String(err));
  }
}
