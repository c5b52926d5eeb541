import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePdf } from '../../../core/ingest/parse/pdf.js';
import { buildEncryptedPdf, buildPdf } from '../../fixtures/documents.js';
import { PDF_PAGES } from '../../fixtures/make-fixtures.js';

describe('parsePdf', () => {
  it('extracts text per page with 1-based pages and sections that map offsets to pages', async () => {
    const r = await parsePdf(await buildPdf(PDF_PAGES));
    assert.ok(r.ok, JSON.stringify(r));
    const { doc } = r;
    assert.equal(doc.kind, 'pdf');
    assert.deepEqual(doc.sections.map((s) => s.page), [1, 2, 3]);
    PDF_PAGES.forEach((lines, i) => {
      const s = doc.sections[i];
      const pageText = doc.text.slice(s.charStart, s.charEnd);
      for (const line of lines) assert.ok(pageText.includes(line), `page ${i + 1} lacks "${line}": ${JSON.stringify(pageText)}`);
    });
    assert.equal(doc.sections[0].charStart, 0);
    assert.equal(doc.sections[2].charEnd, doc.text.length);
  });

  it('refuses a password-protected PDF with a clear reason', async () => {
    const r = await parsePdf(await buildEncryptedPdf('secret'));
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.code === 'encrypted-pdf' && r.reason.includes('password'), JSON.stringify(r));
  });

  it('refuses garbage behind a PDF header, and a file without one', async () => {
    const garbage = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(500, 0x41)]);
    const r1 = await parsePdf(garbage);
    assert.ok(!r1.ok && r1.code === 'corrupt-pdf' && /damaged PDF/.test(r1.reason), JSON.stringify(r1));
    const r2 = await parsePdf(Buffer.from('hello, not a pdf'));
    assert.ok(!r2.ok && r2.code === 'not-a-pdf' && /no PDF header/.test(r2.reason));
  });

  it('does not crash on a truncated PDF (recovers text or fails with a reason)', async () => {
    const bytes = await buildPdf(PDF_PAGES);
    const r = await parsePdf(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    if (r.ok) assert.ok(r.doc.text.includes('Page one'));
    else assert.ok(r.reason.length > 0 && r.code === 'corrupt-pdf');
  });
});
