// The screens' plain logic without a browser: what the progress line says, where each stage sits in the waterfall,
// and settings problems named in the field's own words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IndexProgress, StageTiming } from '../../core/contract/api.js';
import { DEFAULT_SETTINGS } from '../../core/contract/settings.js';
import { formatEta, progressSummary } from '../../renderer/src/components/progress-summary.js';
import { layoutStages, phaseSpans, totalMs } from '../../renderer/src/components/stage-layout.js';
import { translate, type StringKey } from '../../renderer/src/i18n/strings.js';
import { changedFields, numberBounds, settingProblems } from '../../renderer/src/state/settings-check.js';

const tEn = (k: StringKey, v?: Record<string, string | number>) => translate('en', k, v);
const tJa = (k: StringKey, v?: Record<string, string | number>) => translate('ja', k, v);
const progress = (over: Partial<IndexProgress>): IndexProgress => ({
  runId: 'r', phase: 'indexing', filesDone: 3, filesTotal: 10, chunksDone: 40, chunksTotal: 100, chunksPerSecond: 12.5,
  etaSeconds: 75, skipped: 1, ...over,
});

test('the progress line: counts out of their totals, the time left or "estimating", and the bar from time done', () => {
  assert.deepEqual(progressSummary(progress({ fractionDone: 0.25 }), tEn), {
    pct: 25, line: '3 of 10 files read · 40 of 100 chunks embedded · 12.5 chunks/s · time left: 1 min 15 s',
  });
  assert.equal(progressSummary(progress({ etaSeconds: null }), tEn).line.endsWith('time left: estimating…'), true);
  assert.equal(progressSummary(progress({ phase: 'scanning', filesTotal: 0, filesDone: 0 }), tEn).line, 'Scanning folders…');
  assert.deepEqual(progressSummary(progress({ phase: 'done', filesDone: 10, chunksDone: 100, fractionDone: 0.97 }), tEn), {
    pct: 100, line: 'Done: 10 files checked, 1 not indexed, 100 chunks embedded.',
  });
  assert.equal(progressSummary(progress({ chunksTotal: 0, chunksDone: 0, etaSeconds: 4 }), tJa).line, '10 件中 3 件のファイルを読み込み · 残り時間: 4 秒');
  assert.equal(formatEta(59.6, tEn), '1 min 0 s');
});

test('waterfall: each stage at its own start time; phases split the wall time without double counting', () => {
  const timings: StageTiming[] = [
    { stage: 'rewrite', ms: 30, startMs: 0 }, { stage: 'embedQuery', ms: 5, startMs: 30 }, { stage: 'faiss', ms: 10, startMs: 35 },
    { stage: 'bm25', ms: 20, startMs: 35 }, { stage: 'fuse', ms: 1, startMs: 55 }, { stage: 'bi', ms: 1, startMs: 56 },
    { stage: 'cross', ms: 40, startMs: 57 }, { stage: 'fusion', ms: 1, startMs: 97 }, { stage: 'prompt', ms: 2, startMs: 98 },
    { stage: 'llmFirstToken', ms: 50, startMs: 100 }, { stage: 'llmTotal', ms: 400, startMs: 100 },
  ];
  const bars = layoutStages(timings);
  assert.deepEqual(bars.map((b) => b.start), [0, 30, 35, 35, 55, 56, 57, 97, 98, 100, 100]);
  assert.equal(totalMs(timings), 500);
  assert.deepEqual(phaseSpans(timings), { retrieval: 56, rerank: 42, answer: 402 });
  assert.equal(layoutStages([]).every((b) => b.timing === null), true);
});

test('settings problems name the field as the screen labels it, in either language', () => {
  const label = (k: string) => tEn(k as StringKey);
  assert.deepEqual(settingProblems(DEFAULT_SETTINGS, { retrieveK: 0 }, tEn, label), { retrieveK: 'Candidates retrieved (K) must be at least 1.' });
  assert.deepEqual(settingProblems(DEFAULT_SETTINGS, { topN: 2.5 }, tEn, label), { topN: 'Cross-encoder top N must be a whole number.' });
  assert.deepEqual(settingProblems(DEFAULT_SETTINGS, { ollamaHost: 'nope' }, tEn, label), { ollamaHost: 'Ollama host must be an address such as http://127.0.0.1:11434.' });
  assert.deepEqual(settingProblems(DEFAULT_SETTINGS, { chunkTokens: 64, chunkOverlap: 40 }, tEn, label), { chunkOverlap: 'Chunk overlap must be less than half the chunk size (31 or less).' });
  assert.deepEqual(settingProblems(DEFAULT_SETTINGS, { retrieveK: 5000 }, tJa, (k) => tJa(k as StringKey)), { retrieveK: '取得する候補数 (K) は 1000 以下にしてください。' });
  assert.deepEqual(settingProblems(DEFAULT_SETTINGS, { topN: 7 }, tEn, label), {});
  assert.deepEqual(changedFields(DEFAULT_SETTINGS, { topN: 7, alpha: DEFAULT_SETTINGS.alpha }), { topN: 7 });
  assert.deepEqual(numberBounds('retrieveK'), { min: 1, max: 1000, step: 1 });
});
