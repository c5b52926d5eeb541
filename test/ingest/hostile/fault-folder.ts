// The fault folder: every hostile file the fault campaign found, generated here (never shipped), beside good files,
// each with the outcome the indexer must reach. `core` is the set of the "done when"; `full` adds the rest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileNoteCode, FileProblemCode } from '../../../core/contract/vocabulary.js';
import { buildDocx, buildPdf } from '../../fixtures/documents.js';
import { encode, SAMPLES } from './encodings.js';
import { buildManyPagePdf } from './pdfs.js';
import { HOSTILE_TEXTS } from './texts.js';
import { buildDocxBomb, buildZipBomb } from './zips.js';

export interface FaultFolder {
  /** relPath -> the problem it must be skipped with. */
  skipped: Record<string, FileProblemCode>;
  /** relPath -> the note it must be indexed with (null: none). */
  indexed: Record<string, FileNoteCode | null>;
}

const MB = 1024 * 1024;

/** The parse budget the full folder expects (a low PDF page limit keeps the many-page PDF quick). */
export const FAULT_PARSE_BUDGET = { maxPdfPages: 50 };

export async function makeFaultFolder(dir: string, set: 'core' | 'full'): Promise<FaultFolder> {
  mkdirSync(dir, { recursive: true });
  const out: FaultFolder = { skipped: {}, indexed: {} };
  const put = (rel: string, data: string | Uint8Array): void => writeFileSync(join(dir, rel), data);
  const good = (rel: string, data: string | Uint8Array, note: FileNoteCode | null = null): void => {
    put(rel, data);
    out.indexed[rel] = note;
  };
  const bad = (rel: string, data: string | Uint8Array, problem: FileProblemCode): void => {
    put(rel, data);
    out.skipped[rel] = problem;
  };
  const fifo = (rel: string): boolean => spawnSync('mkfifo', [join(dir, rel)]).status === 0;

  // Good files, every kind.
  good('notes.md', '# Wind tunnels\n\nA closed-circuit tunnel returns the air to the fan.\n');
  good('report.pdf', await buildPdf([['The boundary layer thickens downstream.'], ['Shock waves compress the flow.']]));
  good('memo.docx', await buildDocx([{ style: 'Heading1', text: 'Memo' }, { text: 'The wind tunnel budget is approved.' }]));
  good('readme.txt', 'Plain notes about the compressor and its stall margin.\n');
  // The "done when": a 0.9 MB DOCX that unpacks to 300 MB, a FIFO .gitignore, 1 MB of spaces in one
  // line, 1 MB of `*a` in Markdown.
  bad('bomb.docx', buildDocxBomb(300), 'unpacked-too-large');
  fifo('.gitignore');
  good('spaces.txt', HOSTILE_TEXTS.spaces(MB));
  good('stars.md', HOSTILE_TEXTS.starA(MB));
  if (set === 'core') return out;

  bad('zip-bomb.docx', buildZipBomb(1), 'unpacked-too-large');
  bad('liar.docx', buildDocxBomb(300, { declareMb: 0.01 }), 'corrupt-docx');
  good('nested.md', HOSTILE_TEXTS.nestedMarkdown(MB));
  good('nested.html', HOSTILE_TEXTS.nestedHtml(MB));
  good('unmatched.html', HOSTILE_TEXTS.unmatchedHtml(MB));
  good('sentences.txt', HOSTILE_TEXTS.sentences(MB));
  good('many-pages.pdf', buildManyPagePdf(2_000), 'pdf-page-limit');
  good('latin1.txt', encode(SAMPLES.french, 'latin1'), 'decoded-as');
  good('sjis.txt', encode(SAMPLES.japanese, 'shiftJis'), 'decoded-as');
  good('eucjp.txt', encode(SAMPLES.japaneseMixed, 'eucJp'), 'decoded-as');
  good('utf16-no-bom.txt', encode('Notes from a Windows tool.\n', 'utf16le'), 'decoded-as');
  good('damaged-utf8.txt', Buffer.concat([Buffer.from('Crème brûlée, café, naïve. '), Buffer.from([0xff]), Buffer.from(' Fin.')]), 'decoded-with-losses');
  good('letter.rtf', String.raw`{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}\f0 Cher ami, le caf\'e9 est pr\'eat.\par}`);
  bad('garbage.txt', Buffer.from(Array.from({ length: 4096 }, (_, i) => 0x80 + ((i * 53) % 0x40))), 'garbled');
  if (fifo('pipe.md')) out.skipped['pipe.md'] = 'not-regular-file';
  writeFileSync(Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from('.txt')]), 'a Latin-1 file name');
  out.skipped['caf\uFFFD.txt'] = 'unreadable-file-name';
  return out;
}
