// The Markdown export: every question, its answer with its citations as written, and sources numbered to match.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConversationDetail } from '../../core/contract/api.js';
import { answerMarkdown, conversationMarkdown, exportFileName } from '../../core/conversation/markdown.js';
import { candidate, searchResult } from '../support/answer-fixtures.js';

const s1 = candidate(1, 'Flutter appears near Mach one on thin wings.', { path: '/docs/aero.pdf', page: 3, headingPath: ['Results'] });
const s2 = candidate(2, 'Noise is unrelated.');
const base = { citations: [], search: searchResult('q', [s1, s2]), timings: [], llm: null };

const conversation: ConversationDetail = {
  id: 'c1', title: 'Wing flutter', createdAt: '2026-01-02T10:00:00Z', updatedAt: '2026-01-02T10:05:00Z', questions: 2,
  turns: [
    {
      requestId: 'r1', question: 'When does the wing flutter?', standaloneQuestion: 'When does the wing flutter?', standaloneMethod: 'first-question',
      askedAt: '2026-01-02T10:00:00Z', status: 'done', answer: 'Near Mach one [1].',
      result: { ...base, requestId: 'r1', question: 'When does the wing flutter?', status: 'ok', text: 'Near Mach one [1].', sources: [s1, s2], dropped: [3] },
    },
    {
      requestId: 'r2', question: 'And at Mach 2?', standaloneQuestion: 'And at Mach 2? (wing flutter)', standaloneMethod: 'key-terms',
      askedAt: '2026-01-02T10:05:00Z', status: 'failed', answer: '', result: null,
      error: { code: 'answer-interrupted', message: 'The app stopped before this answer was finished.' },
    },
  ],
};

test('a conversation exports as Markdown with numbered sources under each answer', () => {
  const { fileName, markdown } = conversationMarkdown(conversation, '2026-01-03T00:00:00Z');
  assert.equal(fileName, 'wing-flutter.md');
  assert.match(markdown, /^# Wing flutter\n/);
  assert.match(markdown, /## 1\. When does the wing flutter\?\n\nNear Mach one \[1\]\.\n\n\*\*Sources\*\*\n\n1\. aero\.pdf, page 3 — Results \(`\/docs\/aero\.pdf`\)\n   > Flutter appears near Mach one on thin wings\.\n2\. doc2\.txt/);
  assert.match(markdown, /1 more passage\(s\) did not fit/);
  assert.match(markdown, /## 2\. And at Mach 2\?\n\n\*Searched as:\* And at Mach 2\? \(wing flutter\)\n\n\*No answer: The app stopped before this answer was finished\.\*/);
});

test('Japanese labels, and an unavailable answer still lists its sources', () => {
  const md = answerMarkdown({ text: '', status: 'unavailable', error: { code: 'server-unreachable', message: 'Ollama is down.' }, sources: [s1], dropped: [] }, 'ja');
  assert.match(md, /^\*回答なし: Ollama is down\.\*\n\n\*\*出典\*\*\n\n1\. aero\.pdf, 3 ページ — Results/);
});

test('file names keep letters of any script', () => {
  assert.equal(exportFileName('翼のフラッター: いつ?'), '翼のフラッター-いつ.md');
  assert.equal(exportFileName('***'), 'conversation.md');
});
