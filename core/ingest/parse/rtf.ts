// RTF -> plain text in one pass over the bytes, with an explicit group stack (no recursion, linear in the input).
// No RTF library on npm is kept up to date, and text extraction needs only a small part of the format: groups,
// control words, destinations to skip (font and colour tables, pictures, metadata), \'hh bytes in the document's
// code page (Windows-1252, or Shift_JIS for \ansicpg932...) and \uN Unicode characters with their fallbacks.
import { problems } from '../file-problems.js';
import { decodeAs } from './encoding.js';
import { parsePlain } from './text.js';
import { fail, type ParsedDocument, type ParseFailure } from './types.js';

/** Destinations whose content is not body text. `{\*\anything ...}` groups are skipped too. */
const SKIPPED = new Set([
  'fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'object', 'objdata', 'themedata', 'colorschememapping',
  'datastore', 'latentstyles', 'listtable', 'listoverridetable', 'rsidtbl', 'generator', 'xmlnstbl', 'filetbl',
  'revtbl', 'header', 'headerl', 'headerr', 'headerf', 'footer', 'footerl', 'footerr', 'footerf', 'fldinst',
  'pgdsctbl', 'mmathPr', 'wgrffmtfilter', 'bkmkstart', 'bkmkend', 'xe', 'tc', 'template',
]);
const BREAKS: Record<string, string> = { par: '\n', line: '\n', sect: '\n\n', page: '\n\n', row: '\n', cell: ' ', tab: '\t', emdash: '\u2014', endash: '\u2013', lquote: '\u2018', rquote: '\u2019', ldblquote: '\u201c', rdblquote: '\u201d', bullet: '\u2022' };

/** The code pages \ansicpgN names, as TextDecoder labels. */
function codePageLabel(n: number): string {
  if (n === 932) return 'shift_jis';
  if (n === 936) return 'gbk';
  if (n === 949) return 'euc-kr';
  if (n === 950) return 'big5';
  if (n === 65001) return 'utf-8';
  if (n >= 874 && n <= 1258) {
    const label = n === 874 ? 'windows-874' : `windows-${n}`;
    try {
      new TextDecoder(label);
      return label;
    } catch {
      return 'windows-1252';
    }
  }
  return 'windows-1252';
}

interface Group {
  skip: boolean;
  /** Characters of ANSI fallback that follow each \uN. */
  uc: number;
}

export function parseRtf(bytes: Uint8Array): { ok: true; doc: ParsedDocument } | ParseFailure {
  const src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!src.trimStart().startsWith('{\\rtf')) return fail(problems.corruptRtf('it does not start with {\\rtf'));
  const out: string[] = [];
  let codePage = 'windows-1252';
  const pending: number[] = []; // \'hh bytes, decoded together (a Shift_JIS character is two of them)
  const flush = (): void => {
    if (pending.length === 0) return;
    out.push(decodeAs(Uint8Array.from(pending), codePage));
    pending.length = 0;
  };
  const stack: Group[] = [];
  let group: Group = { skip: false, uc: 1 };
  let skipFallback = 0; // ANSI characters still to drop after a \uN
  const emit = (s: string): void => {
    if (group.skip) return;
    flush();
    out.push(s);
  };
  let i = 0;
  const n = src.length;
  while (i < n) {
    const ch = src[i];
    if (ch === '{') {
      stack.push(group);
      group = { ...group };
      skipFallback = 0;
      i++;
      // {\*\dest ...}: an optional destination this reader does not know; skip it whole.
      if (src.startsWith('\\*', i)) group.skip = true;
      continue;
    }
    if (ch === '}') {
      group = stack.pop() ?? group;
      skipFallback = 0;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      i++;
      continue;
    }
    if (ch !== '\\') {
      let j = i;
      while (j < n && src[j] !== '\\' && src[j] !== '{' && src[j] !== '}' && src[j] !== '\r' && src[j] !== '\n') j++;
      let text = src.slice(i, j);
      if (skipFallback > 0) {
        const dropped = Math.min(skipFallback, text.length);
        text = text.slice(dropped);
        skipFallback -= dropped;
      }
      if (text) emit(text);
      i = j;
      continue;
    }
    // A control word, symbol or hex byte.
    const next = src[i + 1];
    if (next === "'") {
      const byte = Number.parseInt(src.slice(i + 2, i + 4), 16);
      i += 4;
      if (skipFallback > 0) {
        skipFallback--;
        continue;
      }
      if (!group.skip && Number.isFinite(byte)) pending.push(byte);
      continue;
    }
    if (next === undefined || !/[a-zA-Z]/.test(next)) {
      i += 2;
      if (next === '\\' || next === '{' || next === '}') emit(next);
      else if (next === '~') emit('\u00a0');
      else if (next === '_') emit('\u2011');
      continue;
    }
    let j = i + 1;
    while (j < n && /[a-zA-Z]/.test(src[j])) j++;
    const word = src.slice(i + 1, j);
    let k = j;
    if (src[k] === '-') k++;
    while (k < n && src[k] >= '0' && src[k] <= '9') k++;
    const param = k > j ? Number(src.slice(j, k)) : null;
    if (src[k] === ' ') k++; // the delimiting space belongs to the control word
    i = k;
    if (word === 'bin' && param !== null) {
      i += Math.max(0, param); // raw binary data
      continue;
    }
    if (word === 'u' && param !== null) {
      emit(String.fromCharCode(param < 0 ? param + 65536 : param));
      skipFallback = group.uc;
      continue;
    }
    if (word === 'uc' && param !== null) group.uc = param;
    else if (word === 'ansicpg' && param !== null) codePage = codePageLabel(param);
    else if (SKIPPED.has(word)) group.skip = true;
    else if (word in BREAKS) emit(BREAKS[word]);
  }
  flush();
  const text = out.join('').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return { ok: true, doc: { ...parsePlain(text, 'text'), kind: 'rtf' } };
}
