import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHtml } from '../../../core/ingest/parse/html.js';
import type { ParsedDocument } from '../../../core/ingest/parse/types.js';
import { HTML } from '../../fixtures/make-fixtures.js';

function pathOf(doc: ParsedDocument, needle: string): string[] {
  const at = doc.text.indexOf(needle);
  assert.ok(at >= 0, `text lacks ${needle}: ${JSON.stringify(doc.text)}`);
  return doc.sections.find((x) => x.charStart <= at && at < x.charEnd)?.headingPath ?? ['<none>'];
}

describe('parseHtml', () => {
  const doc = parseHtml(HTML);

  it('drops script, style, noscript and the <title> from the body text', () => {
    for (const hidden of ['SCRIPT_SHOULD_NOT_APPEAR', 'STYLE_SHOULD_NOT_APPEAR', 'NOSCRIPT_SHOULD_NOT_APPEAR', 'color: red', 'Wind & Tunnels']) {
      assert.ok(!doc.text.includes(hidden), `${hidden} leaked into ${JSON.stringify(doc.text)}`);
    }
    assert.equal(doc.title, 'Wind & Tunnels');
  });

  it('decodes entities and collapses whitespace like a browser', () => {
    assert.ok(doc.text.includes('A wind tunnel moves air past a model — café <tested>.'), doc.text);
  });

  it('puts block elements and <br> on their own lines', () => {
    assert.ok(doc.text.includes('Air returns\nto the fan.'), doc.text);
    assert.ok(doc.text.includes('quiet\nefficient'), doc.text);
    assert.ok(doc.text.startsWith('Wind tunnels\n\nA wind tunnel'), doc.text);
  });

  it('gives h1-h6 heading paths and sections tiling the text', () => {
    assert.deepEqual(pathOf(doc, 'A wind tunnel'), ['Wind tunnels']);
    assert.deepEqual(pathOf(doc, 'Air returns'), ['Wind tunnels', 'Closed circuit']);
    assert.equal(doc.sections[0].charStart, 0);
    assert.equal(doc.sections.at(-1)?.charEnd, doc.text.length);
  });

  it('keeps <pre> whitespace, skips hidden elements, and survives broken markup', () => {
    const d = parseHtml('<h2>Code<p>para<pre>a  b\n  c</pre><div hidden>HIDDEN</div><p>x &unknown; <b>bold</p></i>tail');
    assert.ok(d.text.includes('a  b\n  c'), JSON.stringify(d.text));
    assert.ok(!d.text.includes('HIDDEN'));
    assert.ok(d.text.includes('bold'));
    assert.ok(d.text.includes('tail'));
  });

  it('uses the first h1 as title when there is no <title>', () => {
    assert.equal(parseHtml('<h1>Only heading</h1><p>text</p>').title, 'Only heading');
  });
});
