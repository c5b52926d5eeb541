import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMarkdown } from '../../../core/ingest/parse/markdown.js';
import type { ParsedDocument } from '../../../core/ingest/parse/types.js';
import { MARKDOWN } from '../../fixtures/make-fixtures.js';

/** Heading path of the section holding the first occurrence of `needle`. */
function pathOf(doc: ParsedDocument, needle: string): string[] {
  const at = doc.text.indexOf(needle);
  assert.ok(at >= 0, `text lacks ${needle}`);
  const s = doc.sections.find((x) => x.charStart <= at && at < x.charEnd);
  assert.ok(s, `no section covers ${needle}`);
  return s.headingPath;
}

function assertTiles(doc: ParsedDocument): void {
  assert.equal(doc.sections[0].charStart, 0);
  assert.equal(doc.sections[doc.sections.length - 1].charEnd, doc.text.length);
  for (let i = 1; i < doc.sections.length; i++) assert.equal(doc.sections[i].charStart, doc.sections[i - 1].charEnd);
}

describe('parseMarkdown', () => {
  it('keeps the source text and gives nested heading paths', () => {
    const doc = parseMarkdown(MARKDOWN);
    assert.equal(doc.kind, 'markdown');
    assert.equal(doc.text, MARKDOWN);
    assert.equal(doc.title, 'Install');
    assertTiles(doc);
    assert.deepEqual(pathOf(doc, 'Download the installer'), ['Install']);
    assert.deepEqual(pathOf(doc, 'AppImage; no root'), ['Install', 'Linux']);
    assert.deepEqual(pathOf(doc, 'Drag the app'), ['Install', 'macOS']);
    assert.deepEqual(pathOf(doc, 'Add a folder'), ['Usage']);
    assert.ok(doc.sections.every((s) => s.page === null));
  });

  it('does not take a "#" line inside a code fence for a heading', () => {
    const doc = parseMarkdown(MARKDOWN);
    assert.deepEqual(pathOf(doc, '# not a heading'), ['Install', 'Linux']);
    assert.ok(!doc.sections.some((s) => s.headingPath.some((h) => h.includes('not a heading'))));
  });

  it('finds setext headings, strips inline markup from titles, and pops to the right depth', () => {
    const md = 'Intro line.\n\nGuide\n=====\n\nText A.\n\n### Deep *emphasis* and `code`\n\nText B.\n\n## [Linked](http://x) &amp; more\n\nText C.\n';
    const doc = parseMarkdown(md);
    assertTiles(doc);
    assert.deepEqual(pathOf(doc, 'Intro line'), []);
    assert.deepEqual(pathOf(doc, 'Text A'), ['Guide']);
    assert.deepEqual(pathOf(doc, 'Text B'), ['Guide', 'Deep emphasis and code']);
    assert.deepEqual(pathOf(doc, 'Text C'), ['Guide', 'Linked & more']);
  });

  it('handles CRLF-free text without headings as one section', () => {
    const doc = parseMarkdown('just text\n');
    assert.deepEqual(doc.sections, [{ charStart: 0, charEnd: 10, page: null, headingPath: [] }]);
    assert.equal(doc.title, undefined);
  });
});
