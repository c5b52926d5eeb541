// Both languages all the way: every message code the engine can send has a Japanese template (so a code added
// anywhere in core/ without one fails here), templates use the same {params} in both languages, and every closed
// set of domain words shown on screen has a label in both dictionaries.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  BROWSE_PLACES, EXECUTION_PROVIDERS, FILE_NOTES, FILE_PROBLEMS, FILE_STATES, LANGUAGES, LLM_BACKENDS, MODEL_ROLES, NORMALISATIONS, RERANK_MODES, RETRIEVAL_FUSIONS, STAGE_NOTES,
} from '../../core/contract/vocabulary.js';
import { STAGE_ORDER } from '../../renderer/src/components/stage-order.js';
import { stageNote, withNotes } from '../../core/contract/stage-notes.js';
import { localiseError, localiseStageNote, MESSAGES } from '../../renderer/src/i18n/messages.js';
import { en, ja } from '../../renderer/src/i18n/strings.js';
import { projectRoot } from '../support/temp.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Every code written in core/: `code: '…'`, `new SomeError('…'`, `fail('…'`, `code = '…'`, `type …Code = '…' | …`,
 * and the file problem, file note and stage note catalogues of the vocabulary.
 */
function codesInCore(): Map<string, string> {
  const found = new Map<string, string>([...FILE_PROBLEMS, ...FILE_NOTES, ...STAGE_NOTES].map((c) => [c, 'core/contract/vocabulary.ts']));
  // Error classes whose first argument is a code (ReplyTooLargeError's is what was too large, 'line' or 'reply').
  const patterns = [/\bcode:\s*'([a-z0-9-]+)'/g, /new (?!ReplyTooLarge)[A-Z]\w*Error\(\s*'([a-z0-9-]+)'/g, /\bfail\(\s*'([a-z0-9-]+)'/g, /\bcode = '([a-z0-9-]+)'/g];
  for (const file of sources(join(projectRoot, 'core'))) {
    const text = readFileSync(file, 'utf8');
    const where = file.slice(projectRoot.length + 1);
    for (const re of patterns) for (const m of text.matchAll(re)) found.set(m[1]!, where);
    // A code chosen by a condition: `code: x ? 'one' : 'other'`.
    for (const m of text.matchAll(/\bcode:[^,\n?]*\?([^,\n]*)/g)) for (const c of m[1]!.matchAll(/'([a-z0-9-]+)'/g)) found.set(c[1]!, where);
    for (const union of text.matchAll(/type \w*Code\s*=([^;]+);/g)) {
      for (const m of union[1]!.matchAll(/'([a-z0-9-]+)'/g)) found.set(m[1]!, where);
    }
  }
  return found;
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every message code in core/ has a Japanese entry', () => {
  const codes = codesInCore();
  assert.ok(codes.size > 40, `the scan found the codes (${codes.size})`);
  const missing = [...codes].filter(([code]) => !MESSAGES[code]?.ja).map(([code, file]) => `${code} (${file})`);
  assert.deepEqual(missing, [], 'add these to renderer/src/i18n/messages.ts');
});

test('English and Japanese templates name the same params', () => {
  for (const [code, m] of Object.entries(MESSAGES)) assert.deepEqual(placeholders(m.ja), placeholders(m.en), code);
});

test('an engine message is shown in the interface language, falling back to the engine\'s English', () => {
  const e = { code: 'rewrite-timeout', message: 'The LLM did not rewrite the follow-up question within 20 s, so the previous question\'s key terms were added instead.', action: 'Nothing to do.', params: { seconds: 20 } };
  assert.deepEqual(localiseError('en', e), { message: e.message, action: e.action });
  const shown = localiseError('ja', e);
  assert.match(shown.message, /20 秒以内/);
  assert.equal(shown.detail, undefined, 'the template says all the English said');
  // Without the param the template needs, the English sentence is kept whole.
  assert.equal(localiseError('ja', { ...e, params: undefined }).message, e.message);
  // A code nobody translated yet: English.
  assert.deepEqual(localiseError('ja', { code: 'brand-new', message: 'New thing.' }), { message: 'New thing.' });
  // A code whose English names specifics the template leaves out keeps them as a detail line.
  const down = localiseError('ja', { code: 'server-unreachable', message: 'Ollama is not reachable at http://127.0.0.1:1 (connection refused).' });
  assert.equal(down.message, 'サーバーに接続できません。');
  assert.equal(down.detail, 'Ollama is not reachable at http://127.0.0.1:1 (connection refused).');
  // A file problem with its params (FileStatus.problem).
  const tooLarge = { code: 'too-large', message: 'too large (60 MB > limit 50 MB)', action: 'raise the size limit to index it', params: { size: '60 MB', limit: '50 MB' } };
  assert.deepEqual(localiseError('ja', tooLarge), { message: '大きすぎるファイル (60 MB > 上限 50 MB)', action: 'インデックスするにはサイズの上限を上げてください' });
});

test('stage notes: the engine\'s English is the template\'s, and the latency view shows them in Japanese', () => {
  for (const code of STAGE_NOTES) {
    const template = MESSAGES[code]!;
    const params = Object.fromEntries(placeholders(template.en).map((name, i) => [name, `v${i}`]));
    const note = stageNote(code, params);
    assert.equal(note.message, template.en.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name])), code);
    assert.equal(localiseStageNote('en', withNotes(note)), note.message, code);
    const shown = localiseStageNote('ja', withNotes(note));
    assert.ok(shown !== note.message && !/\{\w+\}/.test(shown), `${code}: ${shown}`);
  }
  const two = withNotes(stageNote('note-scored-cached', { scored: 12, cached: 8 }), stageNote('note-language-not-covered', { script: 'Japanese' }));
  assert.equal(two.note, '12 scored, 8 cached; language not covered: Japanese', 'the CLI and --json keep the English text');
  assert.equal(localiseStageNote('ja', two), '12 件を採点、8 件はキャッシュ、対象外の言語: Japanese');
  assert.equal(localiseStageNote('ja', { note: 'from an older engine' }), 'from an older engine');
});

test('every domain word shown on screen has a label in both languages', () => {
  const keys = [
    ...[...RERANK_MODES, ...NORMALISATIONS, ...RETRIEVAL_FUSIONS, ...EXECUTION_PROVIDERS, ...LLM_BACKENDS, ...LANGUAGES].map((v) => `choice_${v}`),
    ...FILE_STATES.map((s) => `fileState_${s}`), ...MODEL_ROLES.map((r) => `role_${r}`), ...STAGE_ORDER.map((s) => `stage_${s}`),
    ...BROWSE_PLACES.map((p) => `browsePlace_${p}`),
  ];
  for (const k of keys) {
    assert.ok(k in en, `en has ${k}`);
    assert.ok((ja as Record<string, string>)[k], `ja has ${k}`);
  }
});
