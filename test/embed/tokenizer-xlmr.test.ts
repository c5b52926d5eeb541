// The tokenizer path on an XLM-R SentencePiece Unigram tokenizer of the real size (multilingual-e5-small's kind):
// special ids, pair template, truncation that keeps the closing </s>, and Japanese text without unknown pieces.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { join } from 'node:path';
import { loadTokenizer, type TextTokenizer } from '../../core/embed/tokenizer.js';
import { fixtureDir, hubFixture } from '../models/hub-fixture.js';
import { XLMR_SPECIALS } from '../models/xlmr-tokenizer.js';

let tok: TextTokenizer;
before(async () => {
  await hubFixture();
  // The fixture's e5 folder holds tokenizer.json + tokenizer_config.json as the repo has them.
  tok = await loadTokenizer(join(fixtureDir(), 'e5'));
});

test('XLM-R specials: <s> … </s>, <pad> = 1, one special on each side', () => {
  assert.equal(tok.padId, XLMR_SPECIALS.pad);
  assert.equal(tok.specialTokens, 2);
  const e = tok.encode('how do wings generate lift', 512);
  assert.equal(e.ids[0], XLMR_SPECIALS.bos);
  assert.equal(e.ids.at(-1), XLMR_SPECIALS.eos);
  assert.equal(e.ids.length, 2 + tok.count('how do wings generate lift'));
  assert.ok(e.ids.every((id) => id >= 0 && id < 250_037), 'ids fit the 250,037-row embedding');
});

test('Japanese has pieces, not <unk>', () => {
  const ids = tok.encode('翼はどうやって揚力を生むのか', 512).ids;
  assert.ok(!ids.includes(XLMR_SPECIALS.unk));
});

test('pairs use XLM-R\'s <s> A </s></s> B </s> and truncation keeps the query and the closing </s>', () => {
  const query = 'how do wings generate lift';
  const passage = Array.from({ length: 200 }, (_, i) => `wing ${i}`).join(' ');
  const full = tok.encodePair(query, 'lift', 512);
  const q = tok.count(query);
  assert.deepEqual([full.ids[0], full.ids[q + 1], full.ids[q + 2], full.ids.at(-1)], [0, 2, 2, 2]);
  const cut = tok.encodePair(query, passage, 64);
  assert.equal(cut.ids.length, 64);
  assert.deepEqual(cut.ids.slice(0, q + 3), full.ids.slice(0, q + 3), 'the query is whole');
  assert.equal(cut.ids.at(-1), XLMR_SPECIALS.eos);
  assert.equal(cut.typeIds.length, 64);
});
