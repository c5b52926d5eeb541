import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { watchFolders, type FolderChanges, type FolderWatcher } from '../../core/ingest/watch.js';

/** Collects callbacks; `next` waits for the first batch that satisfies a predicate (a guard, not a timing assertion). */
class Recorder {
  batches: FolderChanges[] = [];
  private waiters: { test: (b: FolderChanges) => boolean; resolve: (b: FolderChanges) => void }[] = [];
  readonly onChange = (b: FolderChanges): void => {
    this.batches.push(b);
    for (const w of [...this.waiters]) {
      if (w.test(b)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(b);
      }
    }
  };
  next(test: (b: FolderChanges) => boolean, guardMs = 15_000): Promise<FolderChanges> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching change batch; got ${JSON.stringify(this.batches)}`)), guardMs);
      this.waiters.push({ test, resolve: (b) => { clearTimeout(timer); resolve(b); } });
    });
  }
}

describe('watchFolders', () => {
  let dir: string;
  let other: string;
  let watcher: FolderWatcher;
  const rec = new Recorder();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'watch-'));
    other = await mkdtemp(join(tmpdir(), 'watch-other-'));
    await writeFile(join(dir, '.gitignore'), 'build/\n*.tmp\n');
    await writeFile(join(dir, 'existing.md'), '# Existing\n');
    await mkdir(join(dir, 'docs'));
    await writeFile(join(dir, 'docs', 'old.txt'), 'old');
    await symlink('.', join(dir, 'self-loop')); // must not make the watcher recurse forever
    watcher = watchFolders([dir, other], rec.onChange, { debounceMs: 150 });
    await watcher.ready;
  });
  after(async () => {
    await watcher.close();
    await rm(dir, { recursive: true, force: true });
    await rm(other, { recursive: true, force: true });
  });

  it('reports nothing for files that existed before it started', () => {
    assert.deepEqual(rec.batches, []);
  });

  it('coalesces a burst of saves into one callback with every changed file', async () => {
    const files = ['a.md', 'b.txt', 'c.ts'].map((f) => join(dir, f));
    const got = rec.next((b) => b.changed.includes(files[2]));
    for (let round = 0; round < 3; round++) {
      for (const f of files) await writeFile(f, `version ${round}\n`);
    }
    const batch = await got;
    assert.deepEqual(batch.changed, [...files].sort());
    assert.deepEqual(batch.removed, []);
    assert.equal(rec.batches.length, 1, JSON.stringify(rec.batches));
  });

  it('ignores hidden, node_modules and gitignored paths', async () => {
    const sentinel = join(dir, 'sentinel.md');
    const got = rec.next((b) => b.changed.includes(sentinel));
    await mkdir(join(dir, 'node_modules', 'pkg'), { recursive: true });
    await writeFile(join(dir, 'node_modules', 'pkg', 'index.js'), 'x');
    await writeFile(join(dir, '.hidden.md'), 'x');
    await mkdir(join(dir, 'build'));
    await writeFile(join(dir, 'build', 'out.txt'), 'x');
    await writeFile(join(dir, 'scratch.tmp'), 'x');
    await writeFile(sentinel, 'x');
    await got;
    const all = rec.batches.flatMap((b) => [...b.changed, ...b.removed]);
    for (const p of all) assert.ok(!/node_modules|\.hidden|build|scratch\.tmp/.test(p), `${p} should be ignored`);
  });

  it('reports deletions as removed, including files in a deleted folder', async () => {
    const got = rec.next((b) => b.removed.includes(join(dir, 'existing.md')) && b.removed.includes(join(dir, 'docs', 'old.txt')));
    await unlink(join(dir, 'existing.md'));
    await rm(join(dir, 'docs'), { recursive: true });
    const batch = await got;
    assert.ok(!batch.changed.includes(join(dir, 'existing.md')));
  });

  it('watches every folder given, and a file created then deleted in one burst is a removal only', async () => {
    const brief = join(other, 'brief.txt');
    const kept = join(other, 'kept.txt');
    const got = rec.next((b) => b.changed.includes(kept));
    await writeFile(brief, 'here for a moment');
    await writeFile(kept, 'stays');
    await new Promise((r) => setTimeout(r, 30)); // let chokidar see 'brief' before it goes
    await unlink(brief);
    const batch = await rec.next((b) => b.removed.includes(brief) || b.changed.includes(kept)).then(() => got);
    assert.ok(!batch.changed.includes(brief), JSON.stringify(batch));
  });

  it('stops reporting after close()', async () => {
    const w = watchFolders([other], rec.onChange, { debounceMs: 50 });
    await w.ready;
    await w.close();
    const before = rec.batches.length;
    await writeFile(join(other, 'after-close.txt'), 'x');
    // The main watcher still sees it; a closed one must add nothing beyond that single batch.
    await rec.next((b) => b.changed.includes(join(other, 'after-close.txt')));
    await new Promise((r) => setTimeout(r, 200));
    const extra = rec.batches.slice(before).filter((b) => b.changed.includes(join(other, 'after-close.txt')));
    assert.equal(extra.length, 1);
  });
});
