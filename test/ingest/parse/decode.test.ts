import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeText, looksBinary } from '../../../core/ingest/parse/decode.js';
import { CASES, encode, LEGACY, SAMPLES } from '../hostile/encodings.js';

describe('decodeText', () => {
  it('decodes UTF-8, strips the BOM and normalises CRLF', () => {
    const r = decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\r\nb\rc — ü\n')]));
    assert.ok(r.ok);
    assert.equal(r.ok && r.text, 'a\nb\nc — ü\n');
    assert.deepEqual(r.ok && r.notes, []);
  });

  it('decodes UTF-16 with a BOM although it is full of NUL bytes', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo wörld', 'utf16le')]);
    const r = decodeText(le);
    assert.ok(r.ok && r.text === 'héllo wörld' && r.notes.length === 0, JSON.stringify(r));
  });

  it('rejects binaries: NUL bytes, or many control characters', () => {
    const nul = decodeText(Buffer.from('text\0more'));
    assert.ok(!nul.ok && nul.code === 'binary' && nul.reason === 'binary file: not indexed');
    assert.equal(looksBinary(Buffer.from(Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)))), true);
    assert.equal(looksBinary(Buffer.from('tabs\tand\nnewlines\r\n\x1b[31mcolour\x1b[0m')), false);
  });

  it('keeps UTF-8 with a few damaged bytes as UTF-8, replacing them and saying so', () => {
    const r = decodeText(Buffer.concat([Buffer.from('Crème brûlée, café, naïve. '), Buffer.from([0xff]), Buffer.from(' Fin.')]));
    assert.ok(r.ok && r.text === 'Crème brûlée, café, naïve. \uFFFD Fin.', JSON.stringify(r));
    assert.deepEqual(r.notes.map((n) => [n.code, n.params]), [['decoded-with-losses', { encoding: 'UTF-8', replaced: 1 }]]);
  });

  it('reads a Latin-1 byte as Latin-1, not as a broken UTF-8 character', () => {
    const r = decodeText(Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' au lait')]));
    assert.ok(r.ok && r.text === 'café au lait', JSON.stringify(r));
    assert.deepEqual(r.notes.map((n) => n.code), ['decoded-as']);
    assert.equal(r.notes[0].message, 'decoded as Windows-1252 (Latin-1)');
  });

  for (const [sample, encoding] of CASES) {
    it(`decodes ${sample} written in ${encoding} to the exact text, with a note naming the encoding`, () => {
      const r = decodeText(encode(SAMPLES[sample], encoding));
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.text, SAMPLES[sample]);
      assert.equal(r.notes.length, 1);
      assert.equal(r.notes[0].code, 'decoded-as');
      assert.equal(String(r.notes[0].params?.encoding).toLowerCase().split(' ')[0].replace('_', '-'), LEGACY[encoding].label.replace('_', '-'));
    });
  }

  it('calls UTF-16LE without a BOM text, not binary', () => {
    const r = decodeText(Buffer.from('Plain English notes about the wind tunnel.\n', 'utf16le'));
    assert.ok(r.ok && r.text === 'Plain English notes about the wind tunnel.\n', JSON.stringify(r));
  });

  it('skips bytes that no encoding makes text of', () => {
    const r = decodeText(Buffer.from(Array.from({ length: 400 }, (_, i) => 0x80 + (i % 64))));
    assert.ok(!r.ok && r.code === 'garbled' && r.reason === 'not readable text (no text encoding fits its bytes): save it as UTF-8 to index it', JSON.stringify(r));
    let seed = 7;
    const random = Buffer.from(Array.from({ length: 4096 }, () => 0x20 + ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 0xdf)));
    const g = decodeText(random);
    assert.ok(!g.ok && g.code === 'garbled', JSON.stringify(g.ok ? g.text.slice(0, 80) : g));
  });
});
