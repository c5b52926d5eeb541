// Citation parsing: every written form the models produce, invalid numbers flagged, and the streaming scanner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CitationScanner, parseCitations } from '../../core/answer/citations.js';

const sources = [{ chunkId: 11 }, { chunkId: 22 }, { chunkId: 33 }, { chunkId: 44 }];
const ns = (text: string) => parseCitations(text, sources).map((c) => c.n);

describe('parseCitations', () => {
  it('links [n] to the n-th source', () => {
    assert.deepEqual(parseCitations('Wings stall [2].', sources), [{ n: 2, chunkId: 22, valid: true }]);
  });

  it('reads lists, adjacent brackets and ranges', () => {
    assert.deepEqual(ns('a [2, 3] b'), [2, 3]);
    assert.deepEqual(ns('a [1][4] b'), [1, 4]);
    assert.deepEqual(ns('a [1-3] b'), [1, 2, 3]);
    assert.deepEqual(ns('a [1 – 3] b'), [1, 2, 3]);
    assert.deepEqual(ns('a [1, 3-4] b'), [1, 3, 4]);
    assert.deepEqual(ns('a [2 3] b'), [2, 3]);
  });

  it('reads full-width brackets, digits and separators', () => {
    assert.deepEqual(ns('失速します［1］。'), [1]);
    assert.deepEqual(ns('揚力［２、３］'), [2, 3]);
    assert.deepEqual(ns('［1］［4］'), [1, 4]);
    assert.deepEqual(ns('［1－3］'), [1, 2, 3]);
  });

  it('keeps first-appearance order and lists each number once', () => {
    assert.deepEqual(ns('x [3] y [1] z [3] w [1, 3]'), [3, 1]);
  });

  it('flags numbers with no passage: valid false, chunkId null', () => {
    assert.deepEqual(parseCitations('see [5] and [0] and [2]', sources), [
      { n: 5, chunkId: null, valid: false },
      { n: 0, chunkId: null, valid: false },
      { n: 2, chunkId: 22, valid: true },
    ]);
  });

  it('ignores brackets that are not citations', () => {
    assert.deepEqual(ns('[a] [link](http://x) [1a] x[ ] arr[i] [note: 2]'), []);
  });

  it('does not expand an absurd range', () => {
    assert.deepEqual(ns('[1-100000]'), [1, 100000]);
  });
});

describe('CitationScanner (streaming)', () => {
  it('reports each citation once, when its bracket closes, even split across tokens', () => {
    const s = new CitationScanner(sources);
    const got: number[][] = [];
    for (const t of ['Wings', ' stall [', '1', '2', '] and [', '2', ', 3', ']', ' again [2].']) got.push(s.push(t).map((c) => c.n));
    got.push(s.finish().map((c) => c.n));
    assert.deepEqual(got, [[], [], [], [], [12], [], [], [2, 3], [], []]);
  });

  it('finish() releases nothing for an unclosed bracket and the same as parseCitations overall', () => {
    const text = 'a [1] b ［2］ c [3-4] d [7';
    const s = new CitationScanner(sources);
    const all = [...text].flatMap((ch) => s.push(ch));
    all.push(...s.finish());
    assert.deepEqual(all, parseCitations(text, sources));
  });
});
