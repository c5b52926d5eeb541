// Prompt building: labels, instruction, language, and fitting whole passages into the token budget.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  approxTokenCount, buildPrompt, detectQuestionLanguage, passageLabel, TEMPLATE_RESERVE_TOKENS,
} from '../../core/answer/prompt.js';
import { candidate } from '../support/answer-fixtures.js';

/** One token per whitespace-separated word: budgets below are easy to work out by hand. */
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('buildPrompt content', () => {
  const passages = [
    candidate(1, 'Boundary layers separate at high angles of attack.', { path: '/papers/aero.pdf', page: 3, headingPath: ['Results', 'Stall'] }),
    candidate(2, 'Lift grows with the angle until the stall.', { path: 'C:\\notes\\lift.md', headingPath: [] }),
  ];
  const p = buildPrompt({ question: 'Why do wings stall?', passages, contextTokens: 4096, maxAnswerTokens: 512 });

  it('labels each passage with its number, file name, page and heading path', () => {
    assert.equal(passageLabel(1, passages[0]!), '[1] aero.pdf, page 3 — Results > Stall');
    assert.match(p.user, /\[1\] aero\.pdf, page 3 — Results > Stall\nBoundary layers separate/);
    assert.match(p.user, /\[2\] .*lift\.md\nLift grows/);
    assert.ok(!p.user.includes('/papers/'), 'only the file name, not the folder');
    assert.ok(p.user.trimEnd().endsWith('Question: Why do wings stall?'));
    assert.deepEqual(p.included, [1, 2]);
    assert.deepEqual(p.dropped, []);
  });

  it('instructs: only the passages, cite [n], say when they do not contain the answer, language of the question', () => {
    assert.match(p.system, /only the numbered passages/);
    assert.match(p.system, /\[1\]/);
    assert.match(p.system, /do not contain the answer/);
    assert.match(p.system, /language of the question/);
    assert.doesNotMatch(p.system, /Japanese/);
  });

  it('a Japanese question asks explicitly for a Japanese answer', () => {
    const ja = buildPrompt({ question: '翼はなぜ失速するのですか？', passages, contextTokens: 4096, maxAnswerTokens: 512 });
    assert.match(ja.system, /Answer in Japanese/);
    assert.equal(detectQuestionLanguage('カタカナだけ'), 'ja');
    assert.equal(detectQuestionLanguage('失速'), 'ja');
    assert.equal(detectQuestionLanguage('Why do wings stall? (in English)'), null);
  });

  it('with no passages says so instead of an empty list', () => {
    const none = buildPrompt({ question: 'q?', passages: [], contextTokens: 4096, maxAnswerTokens: 512 });
    assert.match(none.user, /\(no passages\)/);
    assert.deepEqual(none.included, []);
  });
});

describe('buildPrompt fitting', () => {
  // Each passage block is "[n] docN.txt\n" + 20 words: 22 words by the counter.
  const twenty = (tag: string) => Array.from({ length: 20 }, (_, i) => `${tag}${i}`).join(' ');
  const passages = [1, 2, 3, 4].map((i) => candidate(i, twenty(`p${i}w`)));

  function fitted(contextTokens: number, maxAnswerTokens: number, list = passages) {
    return buildPrompt({ question: 'what now', passages: list, contextTokens, maxAnswerTokens, countTokens: words });
  }
  const frame = (() => {
    const p = fitted(100_000, 0, []);
    return words(p.system) + words(p.user);
  })();

  it('keeps every passage when the budget allows', () => {
    const p = fitted(frame + TEMPLATE_RESERVE_TOKENS + 4 * 22 + 100, 100);
    assert.deepEqual(p.included, [1, 2, 3, 4]);
    assert.deepEqual(p.dropped, []);
  });

  it('drops whole passages from the end, reports them, and never cuts one', () => {
    // room for exactly two blocks and one token short of the third
    const p = fitted(frame + TEMPLATE_RESERVE_TOKENS + 3 * 22 - 1 + 200, 200);
    assert.deepEqual(p.included, [1, 2]);
    assert.deepEqual(p.dropped, [3, 4]);
    assert.ok(p.user.includes(twenty('p2w')), 'passage 2 whole');
    assert.ok(!p.user.includes('p3w0'), 'nothing of passage 3');
    assert.ok(p.promptTokens + 200 + TEMPLATE_RESERVE_TOKENS <= frame + TEMPLATE_RESERVE_TOKENS + 3 * 22 - 1 + 200);
  });

  it('a long passage does not let a later short one jump the queue', () => {
    const list = [passages[0]!, candidate(2, twenty('long') + ' ' + twenty('more')), candidate(3, 'short')];
    const p = fitted(frame + TEMPLATE_RESERVE_TOKENS + 22 + 10, 0, list);
    assert.deepEqual(p.included, [1]);
    assert.deepEqual(p.dropped, [2, 3]);
  });

  it('a larger answer budget leaves room for fewer passages', () => {
    const ctx = frame + TEMPLATE_RESERVE_TOKENS + 4 * 22;
    assert.equal(fitted(ctx, 0).included.length, 4);
    assert.equal(fitted(ctx, 22).included.length, 3);
    assert.equal(fitted(ctx, 70).included.length, 0);
  });

  it('the default counter is conservative (chars/3, CJK one per character)', () => {
    assert.equal(approxTokenCount('abcdef'), 2);
    assert.equal(approxTokenCount('abcdefg'), 3);
    assert.equal(approxTokenCount('失速する'), 4);
    const p = buildPrompt({ question: 'q', passages, contextTokens: 100_000, maxAnswerTokens: 10 });
    assert.ok(p.promptTokens >= Math.ceil((p.system.length + p.user.length) / 3));
  });
});
