// The ingest parts together over the fixture folder: walk, then parse what the walker lists. Every file the
// fixture maker promises is indexed parses; every bad input is reported with its reason by one of the two stages.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseFile } from '../../core/ingest/parse/index.js';
import { walkFolder } from '../../core/ingest/walk.js';
import { makeFixtureFolder, type FixtureFolder } from '../fixtures/make-fixtures.js';

describe('walk + parse over the fixture folder', () => {
  let dir: string;
  let fx: FixtureFolder;
  const indexed = new Map<string, string>();
  const skipped = new Map<string, string>();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fixture-'));
    fx = await makeFixtureFolder(dir);
    for await (const e of walkFolder(dir, { maxFileBytes: fx.maxFileBytes })) {
      if (e.skipped) {
        skipped.set(e.relPath, `walk: ${e.reason}`);
        continue;
      }
      const r = await parseFile(e.path, { maxBytes: fx.maxFileBytes });
      if (r.ok) indexed.set(e.relPath, r.doc.kind);
      else skipped.set(e.relPath, `parse ${r.code}: ${r.reason}`);
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('indexes exactly the expected files', () => {
    assert.deepEqual([...indexed.keys()].sort(), fx.expectIndexed);
  });

  it('skips exactly the expected files, each with its reason', () => {
    assert.deepEqual([...skipped.keys()].sort(), Object.keys(fx.expectSkipped).sort());
    for (const [rel, want] of Object.entries(fx.expectSkipped)) {
      assert.ok(skipped.get(rel)?.includes(want), `${rel}: "${skipped.get(rel)}" lacks "${want}"`);
    }
  });

  it('never mentions ignored files', () => {
    for (const rel of fx.expectIgnored) assert.ok(!indexed.has(rel) && !skipped.has(rel), rel);
  });
});
