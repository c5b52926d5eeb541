import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeText, looksBinary } from '../../../core/ingest/parse/decode.js';

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
    assert.ok(r.ok && r.text === 'héllo wörld', JSON.stringify(r));
  });

  it('rejects binaries: NUL bytes, or many control characters', () => {
    const nul = decodeText(Buffer.from('text\0more'));
    assert.ok(!nul.ok && nul.code === 'binary' && nul.reason === 'binary file: not indexed');
    assert.equal(looksBinary(Buffer.from(Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)))), true);
    assert.equal(looksBinary(Buffer.from('tabs\tand\nnewlines\r\n\x1b[31mcolour\x1b[0m')), false);
  });

  it('indexes text with a few invalid UTF-8 bytes, replacing them and saying so', () => {
    const r = decodeText(Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' crème')]));
    assert.ok(r.ok && r.text === 'caf\uFFFD crème');
    assert.match(r.ok ? r.notes[0].message : '', /UTF-8; 1 unreadable character/);
  });

  it('skips text that is mostly invalid UTF-8', () => {
    const r = decodeText(Buffer.from(Array.from({ length: 400 }, (_, i) => 0x80 + (i % 64))));
    assert.ok(!r.ok && r.code === 'garbled' && r.reason.includes('not readable text'));
  });
});
