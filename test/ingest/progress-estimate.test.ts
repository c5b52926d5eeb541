// The indexing ETA on a simulated run with a fake clock: files read at one speed, chunks embedded at another.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressEstimate } from '../../core/ingest/progress-estimate.js';

/** 10 files, each read in 0.1 s adding 50 chunks; embedding runs at 100 chunks/s in groups of 100 after every 2 files. */
function simulate(embeds: boolean) {
  let clock = 0;
  const est = new ProgressEstimate(embeds, () => clock, 0);
  const c = { filesDone: 0, filesTotal: 10, chunksDone: 0, chunksTotal: 0 };
  const seen: { at: number; eta: number | null; fraction: number }[] = [];
  const look = () => {
    const e = est.estimate(c);
    seen.push({ at: clock / 1000, eta: e.etaSeconds, fraction: e.fractionDone });
    return e;
  };
  look();
  for (let f = 0; f < 10; f++) {
    clock += 100;
    c.filesDone++;
    if (embeds) c.chunksTotal += 50;
    est.fileDone(100, embeds ? 50 : 0);
    look();
    if (embeds && c.filesDone % 2 === 0) {
      clock += 1000;
      c.chunksDone += 100;
      est.embedded(1000, 100);
      look();
    }
  }
  return { seen, total: clock / 1000 };
}

test('no ETA until both reading and embedding have been timed; then it is the true time left', () => {
  const { seen, total } = simulate(true);
  assert.equal(total, 6, 'the run takes 6 s: 1 s reading, 5 s embedding');
  assert.equal(seen[0]!.eta, null, 'nothing measured yet');
  assert.equal(seen[1]!.eta, null, 'a file was read, but embedding speed is unknown: no guess');
  for (const s of seen.slice(3)) {
    assert.ok(s.eta !== null);
    assert.ok(Math.abs(s.at + s.eta - total) < 1e-9, `at ${s.at}s the ETA ${s.eta}s ends the run at ${total}s`);
  }
  assert.equal(seen.at(-1)!.eta, 0);
});

test('the fraction done follows time, never goes back, and reaches 1', () => {
  const { seen, total } = simulate(true);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.fraction >= seen[i - 1]!.fraction, 'monotone');
  assert.ok(seen[1]!.fraction <= 0.05 + 1e-9, 'one file read of a run that is mostly embedding is not 10% done');
  const mid = seen.find((s) => s.eta !== null && s.at >= 3)!;
  assert.ok(Math.abs(mid.fraction - mid.at / total) < 1e-9);
  assert.equal(seen.at(-1)!.fraction, 1);
});

test('without an embedder only files count', () => {
  const { seen, total } = simulate(false);
  assert.equal(total, 1);
  assert.equal(seen[0]!.eta, null);
  for (const s of seen.slice(1)) assert.ok(Math.abs(s.at + s.eta! - total) < 1e-9);
  assert.equal(seen.at(-1)!.fraction, 1);
});
