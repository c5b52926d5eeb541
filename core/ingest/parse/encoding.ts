// Which text encoding a file's bytes are in, and the text they hold. Order of evidence, strongest first: a byte
// order mark; UTF-16's pattern of zero bytes; valid UTF-8; then jschardet's statistics for legacy encodings.
// jschardet was chosen over chardet by measurement: on 34 samples (Latin-1 and Windows-1252 prose in five
// languages, Japanese in Shift_JIS and EUC-JP, UTF-16 without a BOM) it named a decoding that gives back the exact
// text 32 times, chardet 26 (chardet misses UTF-16 without a BOM), in a fifth of the time on large files.
import { chardet } from 'jschardet';

export interface Detected {
  /** A WHATWG encoding label TextDecoder knows, or 'windows-1252' (decoded here, see decodeAs). */
  label: string;
  /** How the user would name it, for notes. */
  name: string;
  /** Bytes of byte order mark to skip. */
  bomLength: number;
  /** How it was found: a BOM and valid UTF-8 are certain, the others are a guess worth a note. */
  certain: boolean;
}

const NAMES: Record<string, string> = {
  'utf-8': 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE', 'windows-1252': 'Windows-1252 (Latin-1)',
  shift_jis: 'Shift_JIS', 'euc-jp': 'EUC-JP', 'iso-2022-jp': 'ISO-2022-JP', gb18030: 'GB18030', big5: 'Big5', 'euc-kr': 'EUC-KR',
};
const nameOf = (label: string): string => NAMES[label] ?? label.toUpperCase();

/** jschardet's names that TextDecoder spells differently (ISO-8859-1 text is Windows-1252 text). */
const ALIASES: Record<string, string> = {
  cp932: 'shift_jis', 'utf-16-le': 'utf-16le', 'utf-16-be': 'utf-16be', 'iso-8859-1': 'windows-1252', ascii: 'windows-1252',
  gb2312: 'gb18030', iso8859_15: 'iso-8859-15', 'iso8859-15': 'iso-8859-15',
};

function decoderLabel(name: string | null): string | null {
  if (!name) return null;
  const label = ALIASES[name.toLowerCase()] ?? name.toLowerCase();
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
}

/**
 * Windows-1252's 0x80-0x9F (curly quotes, dashes, the euro sign). Node 20's TextDecoder decodes 'windows-1252' as
 * ISO-8859-1 and turns them into control characters, so this one encoding is decoded here. Five bytes are unused.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const CP1252_UNUSED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

export function decodeAs(bytes: Uint8Array, label: string): string {
  if (label !== 'windows-1252') return new TextDecoder(label).decode(bytes);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return text.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]));
}

export function bomOf(bytes: Uint8Array): Detected | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { label: 'utf-8', name: 'UTF-8', bomLength: 3, certain: true };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: 'utf-16le', name: 'UTF-16LE', bomLength: 2, certain: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: 'utf-16be', name: 'UTF-16BE', bomLength: 2, certain: true };
  return null;
}

const SAMPLE_BYTES = 64 * 1024;

/**
 * UTF-16 without a BOM, told by where its zero bytes fall: ASCII characters (newlines and spaces at least) have a
 * zero high byte, so zeros sit at odd offsets for little-endian, even for big-endian. Binary data has zeros at both,
 * and 16-bit numbers that happen to line up decode to control characters, which text does not have.
 */
export function utf16WithoutBom(bytes: Uint8Array): Detected | null {
  const n = Math.min(bytes.length, SAMPLE_BYTES) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const zeros = evenZeros + oddZeros;
  // A newline every 100 characters is enough; CJK characters put a zero at the other offset once in 256.
  if (zeros < Math.max(2, n / 2 / 100)) return null;
  const label = oddZeros >= zeros * 0.9 ? 'utf-16le' : evenZeros >= zeros * 0.9 ? 'utf-16be' : null;
  if (!label) return null;
  const text = new TextDecoder(label).decode(bytes.subarray(0, n));
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0xfffd) controls++;
  }
  if (controls > text.length * 0.01) return null;
  return { label, name: nameOf(label), bomLength: 0, certain: false };
}

/**
 * Multi-byte encodings prove themselves: bytes in another encoding break their sequences and decode to U+FFFD. So
 * jschardet's guess of one needs only its own floor of confidence, and a clean decoding of the sample.
 */
const MULTI_BYTE = new Set(['shift_jis', 'euc-jp', 'iso-2022-jp', 'gb18030', 'gbk', 'big5', 'euc-kr']);
const GUESS_FLOOR = 0.2;
/** Single-byte encodings decode anything, so another one than Windows-1252 needs jschardet to be fairly sure. */
const CONFIDENT = 0.5;
/** Below this, jschardet sees no language in the bytes at all: random or binary data. */
const NO_LANGUAGE = 0.05;

/**
 * Plausible Windows-1252 text: none of its unused bytes, and its non-ASCII characters mostly letters (é, ü, ñ)
 * unless they are rare. Random high bytes decode to a soup of symbols and fail this.
 */
function plausibleCp1252(bytes: Uint8Array, text: string): boolean {
  for (let i = 0; i < Math.min(bytes.length, SAMPLE_BYTES); i++) if (CP1252_UNUSED.has(bytes[i])) return false;
  let nonAscii = 0;
  let letters = 0;
  for (const ch of text.slice(0, SAMPLE_BYTES)) {
    if (ch.charCodeAt(0) < 0x80) continue;
    nonAscii++;
    if (/\p{L}/u.test(ch)) letters++;
  }
  const chars = Math.min(text.length, SAMPLE_BYTES);
  return nonAscii <= chars * 0.3 || letters >= nonAscii * 0.5;
}

/** A legacy encoding for bytes that are not UTF-8, or null when no encoding makes text of them. */
export function detectLegacy(bytes: Uint8Array): Detected | null {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  const guess = chardet.detect(sample, { encodingEra: chardet.EncodingEra.MODERN_WEB });
  const label = decoderLabel(guess.encoding);
  if (label && MULTI_BYTE.has(label) && guess.confidence >= GUESS_FLOOR) {
    // The sample may end inside a character: one replacement there is not evidence against.
    const replaced = decodeAs(sample, label).split('\uFFFD').length - 1;
    if (replaced <= 1) return { label, name: nameOf(label), bomLength: 0, certain: false };
  } else if (label && label !== 'windows-1252' && guess.confidence >= CONFIDENT) {
    return { label, name: nameOf(label), bomLength: 0, certain: false };
  }
  // Western files are overwhelmingly Windows-1252 (or its subset ISO-8859-1), which jschardet rates low.
  if (guess.confidence < NO_LANGUAGE || !plausibleCp1252(sample, decodeAs(sample, 'windows-1252'))) return null;
  return { label: 'windows-1252', name: nameOf('windows-1252'), bomLength: 0, certain: false };
}
