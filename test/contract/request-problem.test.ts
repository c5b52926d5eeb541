// A request that does not fit its method is refused in a person's words: what could not be done, each value by the
// name people know it by (rerank values by their settings' labels and rules), what it allows and what it got; the
// internal method and field names travel only in params, and the code stays 'invalid-request'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_METHODS, type AppError } from '../../core/contract/api.js';
import { allowedValues, SETTING_LABELS } from '../../core/contract/settings.js';
import { validateRequest } from '../../core/contract/validate.js';
import { RERANK_MODES } from '../../core/contract/vocabulary.js';

function refusal(method: string, payload: unknown): AppError {
  try {
    validateRequest(method, payload);
  } catch (err) {
    const e = (err as { appError?: AppError }).appError;
    assert.ok(e, String(err));
    return e;
  }
  return assert.fail(`${method} ${JSON.stringify(payload)} was accepted`);
}

/** Internal names (the camel-case ones; "search" is also a word) and zod's own phrases: none may reach a person. */
const INTERNAL = new RegExp(`\\b(${API_METHODS.filter((m) => /[A-Z]/.test(m)).join('|')}|chunkId|retrieveK|requestId|queryId|checkOnly|params\\.\\w+|rerankMode|topN|finalK)\\b|Too small|Too big|Invalid input|Invalid option|expected|Unrecognized`);
/** A message without what the caller sent (shown in quotes, as given: a key it may not send, a value). */
const ownWords = (m: string) => m.replace(/"[^"]*"/g, '""');

test('each bad value is named as people know it, with what it allows and what it got', () => {
  const cases: [string, unknown, string][] = [
    ['search', { question: 42 }, 'Could not search. The question must be text (got 42).'],
    ['search', { question: '  ' }, 'Could not search. The question is empty.'],
    ['search', { question: 'x', retrieveK: 0 }, `Could not search. ${SETTING_LABELS.retrieveK} must be ${allowedValues('retrieveK')} (got 0).`],
    ['search', { question: 'x', params: { mode: 'fancy' } }, `Could not search. Rerank mode must be one of ${RERANK_MODES.join(', ')} (got "fancy").`],
    ['refuse', { queryId: 'q', params: { topN: 1.5 } }, 'Could not re-rank the search. Cross-encoder top N must be a whole number from 1 to 1,000 (got 1.5).'],
    ['getPassage', { chunkId: -1 }, 'Could not open the passage. The passage number must be at least 0 (got -1).'],
    ['getPassage', { chunkId: 1, sql: 'drop table' }, 'Could not open the passage. The request holds "sql", which it does not take.'],
    ['history', { limit: 5000 }, 'Could not read the history. The number of items must be at most 1,000 (got 5000).'],
    ['addFolder', {}, 'Could not add the folder. The folder path is missing.'],
    ['checkVectors', { checkOnly: 'yes' }, 'Could not check the vector index. The "check only" switch must be true or false (got "yes").'],
    ['downloadModel', { id: '' }, 'Could not download the model. The model id is empty.'],
  ];
  for (const [method, payload, message] of cases) {
    const e = refusal(method, payload);
    assert.equal(e.code, 'invalid-request', method);
    assert.equal(e.message, message);
    assert.ok(e.action, 'says what to do');
  }
});

test('params name the method, the field, its label, the rule and the value, for translations', () => {
  const e = refusal('search', { question: 'x', params: { alpha: 3 } });
  assert.deepEqual(e.params, {
    method: 'search', doing: 'search', field: 'params.alpha', label: SETTING_LABELS.alpha, rule: `must be ${allowedValues('alpha')}`, value: '3',
  });
  for (const [name, value] of Object.entries(e.params!)) assert.ok(name === 'method' || name === 'field' || !INTERNAL.test(String(value)), `${name}: ${value}`);
  assert.doesNotMatch(e.message, INTERNAL);
});

test('no method\'s refusal shows an internal name, whatever the payload', () => {
  const payloads: unknown[] = ['x', 42, [], { bogus: 1 }, { question: 7, path: 7, id: 7, chunkId: 'x', limit: 0, params: { alpha: 'a' } }];
  for (const method of API_METHODS) {
    if (method === 'updateSettings') continue; // worded per setting by settingsProblem (test/contract/settings.test.ts)
    for (const payload of payloads) {
      let e: AppError;
      try { validateRequest(method, payload); continue; } catch (err) { e = (err as { appError: AppError }).appError; }
      assert.equal(e.code, 'invalid-request', `${method} ${JSON.stringify(payload)}`);
      assert.match(e.message, /^Could not [a-z]/, e.message);
      assert.doesNotMatch(ownWords(e.message), INTERNAL, `${method} ${JSON.stringify(payload)}: ${e.message}`);
      assert.doesNotMatch(e.message, /\bA value\b/, `every field has a name: ${e.message}`);
      assert.equal(e.message.split('\n').length, 1);
    }
  }
});
