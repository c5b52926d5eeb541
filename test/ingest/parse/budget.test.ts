// A budget per file: hostile PDFs, .docx files and zip bombs are refused or cut short with their own reason,
// in a parse process that can be stopped, and the next file parses as usual.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseFile } from '../../../core/ingest/parse/index.js';
import { parseSandbox } from '../../../core/ingest/parse/sandbox.js';
import type { ParseResult } from '../../../core/ingest/parse/types.js';
import { buildDocx, buildPdf } from '../../fixtures/documents.js';
import { tempDir } from '../../support/temp.js';
import { buildHeavyPagePdf, buildManyPagePdf } from '../hostile/pdfs.js';
import { buildDocxBomb, buildZipBomb } from '../hostile/zips.js';

function problemOf(r: ParseResult): { code: string; reason: string; params?: Record<string, string | number> } {
  assert.ok(!r.ok, 'expected a refusal, got a document');
  return { code: r.problem.code, reason: r.reason, params: r.problem.params };
}

describe('parse budget', () => {
  let dir: string;
  const file = (name: string, bytes: Uint8Array | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  let goodPdf: string;
  let goodDocx: string;
  const assertGoodStillParses = async (): Promise<void> => {
    const pdf = await parseFile(goodPdf);
    const docx = await parseFile(goodDocx);
    assert.ok(pdf.ok && pdf.doc.text.includes('Page one'), 'a good PDF parses after the refusal');
    assert.ok(docx.ok && docx.doc.text.includes('budget is approved'), 'a good .docx parses after the refusal');
  };
  before(async () => {
    dir = tempDir('budget-');
    goodPdf = file('good.pdf', await buildPdf([['Page one text.'], ['Page two text.']]));
    goodDocx = file('good.docx', await buildDocx([{ style: 'Heading1', text: 'Memo' }, { text: 'The budget is approved.' }]));
  });

  it('refuses a .docx that unpacks to 300 MB of XML before inflating it', async () => {
    const bomb = buildDocxBomb(300);
    assert.ok(bomb.length < 2 * 1024 * 1024, `the bomb itself is small (${bomb.length} bytes)`);
    const p = problemOf(await parseFile(file('bomb.docx', bomb)));
    assert.equal(p.code, 'unpacked-too-large');
    assert.match(p.reason, /^too large when unpacked \(300 MB from a 1\.\d MB file; limit 64 MB\)/);
    assert.deepEqual(p.params, { unpacked: '300 MB', size: p.params?.size, limit: '64 MB' });
  });

  it('refuses a 1 GiB zip bomb as too large when unpacked, not as a corrupt zip', async () => {
    const p = problemOf(await parseFile(file('zip-bomb.docx', buildZipBomb(1))));
    assert.equal(p.code, 'unpacked-too-large');
    assert.match(p.reason, /1\.0 GB from a/);
  });

  it('catches a zip that declares small sizes but unpacks to far more', async () => {
    const p = problemOf(await parseFile(file('liar.docx', buildDocxBomb(300, { declareMb: 0.01 }))));
    assert.equal(p.code, 'corrupt-docx');
    assert.match(p.reason, /unpacks to more than the zip declares/);
    await assertGoodStillParses();
  });

  it('stops a parse at the time limit and parses the next file as usual', async () => {
    const slow = file('slow.pdf', buildHeavyPagePdf(400_000));
    const p = problemOf(await parseFile(slow, { budget: { timeoutMs: 300 } }));
    assert.equal(p.code, 'parse-timeout');
    assert.equal(p.reason, 'took too long to parse (over 0.3 s): split it into smaller files to index it');
    await assertGoodStillParses();
  });

  it('stops a parse at the memory ceiling and parses the next file as usual', async () => {
    const big = file('big.html', `<p>${'word '.repeat(6 * 1024 * 1024)}</p>`);
    const p = problemOf(await parseFile(big, { budget: { maxHeapMb: 48 } }));
    assert.equal(p.code, 'parse-memory-limit');
    assert.match(p.reason, /needs more than 48 MB of memory to parse/);
    await assertGoodStillParses();
  });

  it('indexes the first pages of a PDF with thousands of pages and says so', async () => {
    const r = await parseFile(file('many.pdf', buildManyPagePdf(5_000)), { budget: { maxPdfPages: 20 } });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(r.doc.sections.length, 20);
    assert.deepEqual(r.notes.map((n) => [n.code, n.params]), [['pdf-page-limit', { indexed: 20, total: 5000 }]]);
  });

  it('keeps the pages read before the soft deadline of a slow PDF, with a note', async () => {
    const slow = file('slow-pages.pdf', buildHeavyPagePdf(60_000, 6));
    const r = await parseFile(slow, { budget: { timeoutMs: 60_000, pdfSoftDeadlineShare: 0.001 } });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    const [note] = r.notes;
    assert.equal(note?.code, 'pdf-time-limit');
    assert.ok(Number(note.params?.indexed) >= 1 && Number(note.params?.indexed) < 6 && note.params?.total === 6, JSON.stringify(note));
  });

  it('parses in separate processes: the parse processes report their own memory', () => {
    assert.equal(parseSandbox.unavailable, null);
    assert.ok(parseSandbox.peakRssMb > 0);
  });
});
