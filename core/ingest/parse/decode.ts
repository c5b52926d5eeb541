// Bytes -> text for every text-like format: rejects binaries, honours BOMs, and tolerates a little bad UTF-8.
import { notes as fileNotes, problems, type FileNote } from '../file-problems.js';
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

function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** Line endings are normalised to \n so offsets and segmenting see one convention. */
export function normaliseNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

export function isUtf16(bytes: Uint8Array): boolean {
  return utf16Encoding(bytes) !== null;
}

export function decodeText(bytes: Uint8Array): Decoded | ParseFailure {
  const utf16 = utf16Encoding(bytes);
  if (utf16) {
    // UTF-16 is full of NUL bytes, so it must be recognised before the binary sniff.
    return { ok: true, text: normaliseNewlines(new TextDecoder(utf16).decode(bytes)), notes: [] };
  }
  if (looksBinary(bytes)) return fail(problems.binary());
  let text: string;
  const notes: FileNote[] = [];
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
    let replaced = 0;
    for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) replaced++;
    if (replaced / Math.max(1, text.length) > MAX_REPLACED_RATIO) {
      return fail(problems.garbled());
    }
    notes.push(fileNotes.decodedWithLosses('UTF-8', replaced));
  }
  return { ok: true, text: normaliseNewlines(text), notes };
}
