// The fault suite: folders of hostile files (generated, never shipped) are indexed in a child process held to a
// deadline, and every file must reach its expected outcome: good files indexed (with a note where the text is not
// exactly as written), bad files skipped with their own reason, and memory well under a gigabyte.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runInChild } from '../support/child-run.js';
import { tempDir } from '../support/temp.js';
import { FAULT_PARSE_BUDGET, makeFaultFolder } from './hostile/fault-folder.js';
import type { IndexRunReport } from './hostile/probes.js';

/** Generous: a regression to a hang or a quadratic parser blows far past it; the benchmark measures the real time. */
const DEADLINE_MS = 180_000;
/** Indexing process plus the largest parse process; the 300 MB .docx once took 4.6 GB and the engine with it. */
const MAX_PEAK_RSS_MB = 1024;

describe('fault suite', () => {
  it("indexes the issue's folder (0.9 MB .docx bomb, FIFO .gitignore, 1 MB of spaces, 1 MB of *a) and lists the bomb", async () => {
    const dir = tempDir('faults-core-');
    const expected = await makeFaultFolder(join(dir, 'docs'), 'core');
    const run = runInChild<IndexRunReport>('test/ingest/hostile/probes.ts', 'indexAndReport', [join(dir, 'docs'), join(dir, 'store')], DEADLINE_MS);
    assert.deepEqual(run.result.skipped, expected.skipped);
    assert.deepEqual(run.result.indexed, expected.indexed);
    const peak = run.result.peakRssMb + run.result.parsePeakRssMb;
    assert.ok(peak < MAX_PEAK_RSS_MB, `peak RSS ${Math.round(peak)} MB`);
  });

  it('gives every hostile file of the full folder its own outcome', async () => {
    const dir = tempDir('faults-full-');
    const expected = await makeFaultFolder(join(dir, 'docs'), 'full');
    const run = runInChild<IndexRunReport>('test/ingest/hostile/probes.ts', 'indexAndReport', [join(dir, 'docs'), join(dir, 'store'), { budget: FAULT_PARSE_BUDGET }], DEADLINE_MS);
    assert.deepEqual(run.result.skipped, expected.skipped);
    assert.deepEqual(run.result.indexed, expected.indexed);
    const peak = run.result.peakRssMb + run.result.parsePeakRssMb;
    assert.ok(peak < MAX_PEAK_RSS_MB, `peak RSS ${Math.round(peak)} MB`);
  });
});
