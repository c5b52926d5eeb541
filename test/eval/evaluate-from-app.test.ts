// Evaluations started through the engine API (what the Evaluate screen calls): progress events, the report the
// screen then shows, cancellation, one run at a time, and bad input refused with its reason.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EvalProgressEvent } from '../../core/contract/api.js';
import { validateRequest } from '../../core/contract/validate.js';
import { createEngine } from '../../core/engine.js';
import { projectRoot, tempDir } from '../support/temp.js';

const collection = join(projectRoot, 'test', 'fixtures', 'japanese-bm25');

async function engineWithEvents() {
  const root = tempDir();
  // No models: BM25 alone, so the run is quick and real.
  const engine = await createEngine({ storeDir: join(root, 'store'), modelsDir: join(root, 'models') });
  const events: EvalProgressEvent[] = [];
  engine.subscribe((event, payload) => { if (event === 'onEvalProgress') events.push(payload as EvalProgressEvent); });
  const finished = (runId: string) => new Promise<EvalProgressEvent>((resolve) => {
    const timer = setInterval(() => {
      const last = events.filter((e) => e.runId === runId).at(-1);
      if (last && ['done', 'error', 'cancelled'].includes(last.phase)) { clearInterval(timer); resolve(last); }
    }, 20);
  });
  return { engine, events, finished };
}

test('startEval runs in the background with progress, then getEvalReport shows its chart', async (t) => {
  const { engine, events, finished } = await engineWithEvents();
  t.after(() => engine.close());
  const started = await engine.startEval({ source: collection });
  assert.equal(started.queries, 26);
  await assert.rejects(engine.startEval({ source: collection }), (e: any) => e.appError?.code === 'eval-running' && Boolean(e.appError.action));
  const last = await finished(started.runId);
  assert.equal(last.phase, 'done', JSON.stringify(last.error));
  const phases = [...new Set(events.map((e) => e.phase))];
  assert.deepEqual(phases, ['indexing', 'scoring', 'grid', 'done']);
  const scoring = events.filter((e) => e.phase === 'scoring');
  assert.deepEqual([scoring.at(-1)!.done, scoring.at(-1)!.total], [26, 26]);
  const report = await engine.getEvalReport({});
  assert.equal(report?.collection, started.collection);
  assert.match(report?.svg ?? '', /^<svg/);
  assert.equal(report?.retrieval, 'hybrid');
  // Another run may start once this one is over.
  const again = await engine.startEval({ source: collection, grid: false });
  assert.equal((await finished(again.runId)).phase, 'done');
});

test('cancelEval stops a run; scored questions are kept for the next one', async (t) => {
  const { engine, finished } = await engineWithEvents();
  t.after(() => engine.close());
  const started = await engine.startEval({ source: collection });
  assert.deepEqual(await engine.cancelEval({ runId: started.runId }), { cancelled: true });
  const last = await finished(started.runId);
  assert.equal(last.phase, 'cancelled');
  assert.equal(last.error?.code, 'eval-cancelled');
  assert.deepEqual(await engine.cancelEval({ runId: started.runId }), { cancelled: false }, 'nothing left to cancel');
  assert.equal(await engine.getEvalReport({}), null, 'no report from a cancelled run');
});

test('a path that holds no collection is refused at once, with what to use instead', async (t) => {
  const { engine } = await engineWithEvents();
  t.after(() => engine.close());
  await assert.rejects(engine.startEval({ source: tempDir() }), (e: any) => e.appError?.code === 'eval-unknown-format' && /SMART/.test(e.appError.action));
  assert.throws(() => validateRequest('startEval', { source: '  ' }), (e: any) => e.appError?.code === 'invalid-request');
  // A relative path would be read against the engine's working folder, which the window cannot see.
  await assert.rejects(engine.startEval({ source: 'test/fixtures/japanese-bm25' }), (e: any) => e.appError?.code === 'folder-not-absolute');
  assert.throws(() => validateRequest('startEval', { source: collection, extra: 1 }), (e: any) => e.appError?.code === 'invalid-request');
});
