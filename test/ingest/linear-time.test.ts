// Chunking and parsing stay linear in the input size: megabyte-sized hostile inputs finish in seconds. Each runs in a
// child process with a deadline (generous: a quadratic regression takes minutes to hours and fails here instead).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInChild } from '../support/child-run.js';
import { HOSTILE_TEXTS, type HostileText } from './hostile/texts.js';

const MB = 1024 * 1024;
const DEADLINE_MS = 60_000;

describe('chunking hostile text is linear', () => {
  for (const name of ['spaces', 'sentences', 'starA', 'nestedMarkdown'] as HostileText[]) {
    it(`chunks 1 MB of ${name} within the deadline, losing no character`, () => {
      const run = runInChild<{ chunks: number; chars: number }>('test/ingest/hostile/texts.ts', 'chunkHostile', [name, MB], DEADLINE_MS);
      const text = HOSTILE_TEXTS[name](MB);
      assert.ok(run.result.chunks > 0);
      // Overlap repeats some characters; none may be missing.
      assert.ok(run.result.chars >= text.replace(/\s/g, '').length, JSON.stringify(run.result));
    });
  }
});

describe('parsing hostile Markdown and HTML is linear', () => {
  const cases: [HostileText, 'markdown' | 'html'][] = [['starA', 'markdown'], ['nestedMarkdown', 'markdown'], ['spaces', 'markdown'], ['nestedHtml', 'html'], ['unmatchedHtml', 'html']];
  for (const [name, as] of cases) {
    it(`parses and chunks 1 MB of ${name} as ${as} within the deadline`, () => {
      const run = runInChild<{ sections: number; chunks: number }>('test/ingest/hostile/texts.ts', 'parseHostile', [name, MB, as], DEADLINE_MS);
      assert.ok(run.result.sections >= 1 && run.result.chunks > 0, JSON.stringify(run.result));
    });
  }
});
