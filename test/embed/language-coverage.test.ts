// The cross-encoder language notice: a Japanese question (or mostly Japanese passages) on the English-only
// ms-marco cross-encoder is pointed out, with the multilingual profile offered; covered languages are not.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEngine } from '../../core/engine.js';
import { crossLanguageNotice, dominantScript } from '../../core/embed/language-coverage.js';
import { KNOWN_PROFILES, MULTILINGUAL_CROSS_ENCODER } from '../../core/embed/profiles.js';
import { synthesiseModel } from '../../core/models/synth/index.js';
import { tempDir } from '../support/temp.js';

const english = KNOWN_PROFILES['ms-marco-MiniLM-L-6-v2']!;
const multilingual = KNOWN_PROFILES[MULTILINGUAL_CROSS_ENCODER]!;

test('scripts: kana makes Han Japanese; Hangul, Cyrillic and Latin are told apart', () => {
  assert.equal(dominantScript('翼はどうやって揚力を生むのか'), 'ja');
  assert.equal(dominantScript('机翼如何产生升力'), 'han');
  assert.equal(dominantScript('날개는 어떻게 양력을 만드나'), 'ko');
  assert.equal(dominantScript('как крыло создаёт подъёмную силу'), 'cyrillic');
  assert.equal(dominantScript('how do wings generate lift (翼)'), 'latin');
  assert.equal(dominantScript('123 — !'), null);
});

test('a Japanese question on the English cross-encoder gets the notice; the mMARCO one covers it', () => {
  const n = crossLanguageNotice(english, '翼はどうやって揚力を生むのか', ['lift on a wing']);
  assert.equal(n?.code, 'cross-encoder-language');
  assert.equal(n?.message, 'The cross-encoder ms-marco-MiniLM-L-6-v2 was trained on en, but this question is mostly Japanese: its scores are close to noise there.');
  assert.match(n?.action ?? '', /localrag models download mmarco-mMiniLMv2-L12-H384-v1/);
  assert.deepEqual(n?.params, { model: 'ms-marco-MiniLM-L-6-v2', languages: 'en', script: 'ja', suggest: MULTILINGUAL_CROSS_ENCODER });
  assert.equal(crossLanguageNotice(multilingual, '翼はどうやって揚力を生むのか', ['翼の揚力']), null);
  assert.equal(crossLanguageNotice(english, 'how do wings generate lift', ['lift on a wing', 'drag']), null);
});

test('an English question over mostly Japanese passages is flagged by the passages; a few are not', () => {
  const ja = ['翼の揚力は圧力差から生まれる。', '境界層の熱伝達を測定した。', '衝撃波が円柱の前に生じる。'];
  const n = crossLanguageNotice(english, 'wing lift', [...ja, 'lift on a wing']);
  assert.match(n?.message ?? '', /but 3 of the 4 passages it scored are mostly Japanese/);
  assert.equal(crossLanguageNotice(english, 'wing lift', [ja[0]!, 'lift', 'drag', 'flow']), null);
  assert.equal(crossLanguageNotice({ id: 'unknown', languages: undefined }, '翼', ['翼']), null, 'no languages listed: nothing claimed');
});

test('a search says so in its result and in the cross stage note', async (t) => {
  const root = tempDir();
  const modelsDir = join(root, 'models');
  await synthesiseModel({ role: 'embedder', preset: 'tiny', outDir: join(modelsDir, 'tiny-embedder') });
  await synthesiseModel({ role: 'cross-encoder', preset: 'tiny', outDir: join(modelsDir, 'ms-marco-MiniLM-L-6-v2') });
  const docs = join(root, 'docs');
  mkdirSync(docs);
  writeFileSync(join(docs, 'a.md'), '# 翼\n\n翼の揚力は圧力差から生まれる。\n\nWing lift comes from a pressure difference.\n');
  const engine = await createEngine({ storeDir: join(root, 'store'), modelsDir });
  t.after(() => engine.close());
  await engine.updateSettings({ embedderModel: 'tiny-embedder', crossEncoderModel: 'ms-marco-MiniLM-L-6-v2', executionProvider: 'cpu', chunkTokens: 32, chunkOverlap: 4 });
  await engine.reindex({ path: docs });
  const ja = await engine.search({ question: '翼の揚力', params: { mode: 'mixlm' } });
  assert.equal(ja.crossLanguage?.code, 'cross-encoder-language');
  assert.match(ja.timings.find((x) => x.stage === 'cross')!.note ?? '', /language not covered: ja/);
  const again = await engine.refuse({ queryId: ja.queryId, params: { alpha: 0.3 } });
  assert.equal(again.crossLanguage?.code, 'cross-encoder-language', 're-fusing keeps the notice');
  const en = await engine.search({ question: 'wing lift pressure', params: { mode: 'mixlm' } });
  assert.equal(en.crossLanguage, undefined);
});
