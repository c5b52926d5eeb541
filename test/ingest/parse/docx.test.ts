import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocx } from '../../../core/ingest/parse/docx.js';
import { buildDocx } from '../../fixtures/documents.js';
import { DOCX_PARAGRAPHS } from '../../fixtures/make-fixtures.js';

describe('parseDocx', () => {
  it('reads body text and turns Word heading styles into heading paths', async () => {
    const r = await parseDocx(await buildDocx(DOCX_PARAGRAPHS));
    assert.ok(r.ok, JSON.stringify(r));
    const { doc } = r;
    assert.equal(doc.kind, 'docx');
    assert.equal(doc.title, 'Quarterly Memo');
    const at = (needle: string) => doc.sections.find((s) => {
      const i = doc.text.indexOf(needle);
      return s.charStart <= i && i < s.charEnd;
    })?.headingPath;
    assert.deepEqual(at('budget is approved'), ['Quarterly Memo']);
    assert.deepEqual(at('Turbine blade'), ['Quarterly Memo', 'Risks']);
  });

  it('refuses a truncated docx with a clear reason', async () => {
    const bytes = await buildDocx(DOCX_PARAGRAPHS);
    const r = await parseDocx(bytes.subarray(0, bytes.length >> 1));
    assert.ok(!r.ok && r.code === 'corrupt-docx' && r.reason.includes('damaged .docx'), JSON.stringify(r));
  });

  it('recognises password-protected (OLE) Word files and non-zip data', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    const r1 = await parseDocx(ole);
    assert.ok(!r1.ok && r1.code === 'encrypted-docx' && r1.reason.includes('password'));
    const r2 = await parseDocx(Buffer.from('plain text renamed to .docx'));
    assert.ok(!r2.ok && r2.code === 'not-a-docx');
  });
});
