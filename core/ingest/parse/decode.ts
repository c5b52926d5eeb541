// Bytes -> text for every text-like format: rejects binaries, finds the encoding (encoding.ts), and says in a note
// when the text was decoded from a guessed encoding or with losses, so a wrong guess is visible in the file's row.
import { notes as fileNotes, problems, type FileNote } from '../file-problems.js';
import { bomOf, decodeAs, detectLegacy, utf16WithoutBom, type Detected } from './encoding.js';
import { fail, type ParseFailure } from './types.js';

export interface Decoded {
  ok: true;
  text: string;
  notes: FileNote[];
}

const SNIFF_BYTES = 64 * 1024;
/** Share of control bytes above which a file is treated as binary (git uses a similar heuristic). */
const MAX_CONTROL_RATIO = 0.1;
/** Share of replacement characters above which "text" is garbage, not text with a few bad bytes. */
const MAX_REPLACED_RATIO = 0.25;

function isTextControlOk(b: number): boolean {
  // tab, LF, VT, FF, CR, ESC (ANSI colours in logs)
  return b === 0x09 || b === 0x0a || b === 0x0b || b === 0x0c || b === 0x0d || b === 0x1b;
}

/** True when the first bytes look like a binary file: a NUL byte, or many control characters. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if ((b < 0x20 && !isTextControlOk(b)) || b === 0x7f) control++;
  }
  return control / n > MAX_CONTROL_RATIO;
}

/** Binary, and not UTF-16 text (whose zero bytes would look binary): decidable from a file's first bytes. */
export function isBinary(bytes: Uint8Array): boolean {
  return !bomOf(bytes) && !utf16WithoutBom(bytes) && looksBinary(bytes);
}

/** Line endings are normalised to \n so offsets and segmenting see one convention. */
export function normaliseNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function countReplaced(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) n++;
  return n;
}

function decodedAs(text: string, how: Detected): Decoded | ParseFailure {
  const replaced = countReplaced(text);
  if (replaced / Math.max(1, text.length) > MAX_REPLACED_RATIO) return fail(problems.garbled());
  const notes = replaced > 0 ? [fileNotes.decodedWithLosses(how.name, replaced)] : how.certain ? [] : [fileNotes.decodedAs(how.name)];
  return { ok: true, text: normaliseNewlines(text), notes };
}

const UTF8: Detected = { label: 'utf-8', name: 'UTF-8', bomLength: 0, certain: true };

export function decodeText(bytes: Uint8Array): Decoded | ParseFailure {
  // UTF-16 is full of zero bytes, so it must be recognised before the binary sniff.
  const known = bomOf(bytes) ?? utf16WithoutBom(bytes);
  if (known) return decodedAs(decodeAs(bytes.subarray(known.bomLength), known.label), known);
  if (looksBinary(bytes)) return fail(problems.binary());
  try {
    return { ok: true, text: normaliseNewlines(new TextDecoder('utf-8', { fatal: true }).decode(bytes)), notes: [] };
  } catch {
    // not valid UTF-8: mostly UTF-8 with a few bad bytes, or another encoding altogether
  }
  const lossy = new TextDecoder('utf-8').decode(bytes);
  const replaced = countReplaced(lossy);
  let multiByte = 0;
  for (let i = 0; i < lossy.length; i++) if (lossy.charCodeAt(i) >= 0x80) multiByte++;
  // Valid multi-byte characters outnumber the bad bytes: a UTF-8 file with some damage, not Latin-1 or Shift_JIS.
  if (multiByte - replaced >= replaced) return decodedAs(lossy, UTF8);
  const legacy = detectLegacy(bytes);
  return legacy ? decodedAs(decodeAs(bytes, legacy.label), legacy) : fail(problems.garbled());
}
