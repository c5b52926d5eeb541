import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isIgnoredPath, walkFolder, type WalkEntry } from '../../core/ingest/walk.js';
import { makeFixtureFolder, type FixtureFolder } from '../fixtures/make-fixtures.js';
import { callAsNobody, openUpForNobody, runningAsRoot } from './unprivileged.js';

async function collect(root: string, maxFileBytes?: number): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const e of walkFolder(root, { maxFileBytes })) out.push(e);
  return out;
}

describe('walkFolder on the fixture folder', () => {
  let dir: string;
  let fx: FixtureFolder;
  let entries: WalkEntry[];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walk-'));
    fx = await makeFixtureFolder(dir);
    entries = await collect(dir, fx.maxFileBytes);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('lists every file that should be indexed, with absolute path, size and mtime', () => {
    const files = new Map(entries.filter((e) => !e.skipped).map((e) => [e.relPath, e]));
    for (const rel of fx.expectIndexed) {
      const e = files.get(rel);
      assert.ok(e && !e.skipped, `missing ${JSON.stringify(rel)}`);
      assert.equal(e.path, join(dir, rel));
      assert.ok(e.size > 0 && e.mtimeMs > 0);
    }
  });

  it('never shows hidden files, node_modules, .git or gitignored paths (root and nested .gitignore, negation)', () => {
    const seen = new Set(entries.map((e) => e.relPath));
    for (const rel of fx.expectIgnored) assert.ok(!seen.has(rel), `${rel} should be ignored`);
    assert.ok(![...seen].some((r) => r.startsWith('node_modules') || r.startsWith('.') || r.includes('/.')));
    assert.ok(seen.has('keep.tmp'), '!keep.tmp re-includes a file a glob excluded');
  });

  it('reports symlink loops, broken links, pipes and oversized files as skipped with a reason', () => {
    const skipped = new Map(entries.filter((e) => e.skipped).map((e) => [e.relPath, e.skipped ? e.reason : '']));
    for (const rel of ['loop-a', 'loop-b', 'sub/back-to-root', 'dangling.md', 'huge.txt', 'pipe.txt']) {
      if (!(rel in fx.expectSkipped)) continue; // pipe.txt only where mkfifo exists
      assert.ok(skipped.get(rel)?.includes(fx.expectSkipped[rel]), `${rel}: ${skipped.get(rel)}`);
    }
    assert.match(skipped.get('huge.txt') ?? '', /too large \(65537 bytes > limit 65536 bytes\)/);
  });

  it('returns entries in a stable, sorted order', async () => {
    const again = await collect(dir, fx.maxFileBytes);
    assert.deepEqual(again.map((e) => e.relPath), entries.map((e) => e.relPath));
  });
});

describe('walkFolder edge cases', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'walk-edge-')); });
  after(() => rm(dir, { recursive: true, force: true }));

  it('yields one skipped entry (no throw) for a missing folder or a file given as the folder', async () => {
    const missing = await collect(join(dir, 'nope'));
    assert.equal(missing.length, 1);
    assert.ok(missing[0].skipped && /disappeared|deleted/.test(missing[0].reason));
    await writeFile(join(dir, 'plain.txt'), 'x');
    const notDir = await collect(join(dir, 'plain.txt'));
    assert.ok(notDir[0].skipped && notDir[0].problem.code === 'not-a-folder' && notDir[0].reason.startsWith('not a folder'));
  });

  it('says a file name is not valid UTF-8, not that the file disappeared', async () => {
    const root = join(dir, 'bad-name');
    await mkdir(root);
    await writeFile(Buffer.concat([Buffer.from(`${root}/caf`), Buffer.from([0xe9]), Buffer.from(' notes.txt')]), 'Latin-1 file name');
    await mkdir(Buffer.concat([Buffer.from(`${root}/dossier-`), Buffer.from([0xe9]), Buffer.from('t\xe9')]));
    const entries = await collect(root);
    assert.deepEqual(entries.map((e) => [e.relPath, e.skipped ? e.problem.code : 'listed']), [
      ['caf\uFFFD notes.txt', 'unreadable-file-name'],
      ['dossier-\uFFFDté', 'unreadable-file-name'],
    ]);
    const [file] = entries;
    assert.equal(file.skipped && file.reason, 'the file name is not valid UTF-8 (caf\uFFFD notes.txt): rename it to index it');
  });

  it('follows a folder symlink once and reports a second link to it as a duplicate', async () => {
    const root = join(dir, 'dup');
    await mkdir(join(root, 'real'), { recursive: true });
    await writeFile(join(root, 'real', 'a.txt'), 'a');
    await symlink('real', join(root, 'alias')); // sorts before 'real', still loses to it
    const entries = await collect(root);
    const alias = entries.find((e) => e.relPath === 'alias');
    assert.ok(alias?.skipped && alias.reason.includes('duplicate'), JSON.stringify(alias));
    assert.deepEqual(entries.filter((e) => !e.skipped).map((e) => e.relPath), ['real/a.txt']);
  });

  it('does not let a symlink smuggle in a hidden or gitignored folder', async () => {
    const root = join(dir, 'smuggle');
    await mkdir(join(root, '.private'), { recursive: true });
    await writeFile(join(root, '.private', 'diary.txt'), 'secret');
    await symlink('.private', join(root, 'public'));
    const entries = await collect(root);
    assert.deepEqual(entries.map((e) => [e.relPath, e.skipped ? e.reason : 'indexed']), [['public', 'links into an ignored folder (.private): not followed']]);
  });

  it('follows a folder symlink that points outside the root', async () => {
    const outside = join(dir, 'outside');
    const root = join(dir, 'linked-root');
    await mkdir(outside, { recursive: true });
    await mkdir(root, { recursive: true });
    await writeFile(join(outside, 'far.md'), '# Far');
    await symlink(outside, join(root, 'ext'));
    const entries = await collect(root);
    assert.deepEqual(entries.map((e) => [e.relPath, !!e.skipped]), [['ext/far.md', false]]);
  });

  it('reports an unreadable subfolder with a permission reason and keeps going', async () => {
    const root = join(dir, 'perm');
    await mkdir(join(root, 'locked'), { recursive: true });
    await writeFile(join(root, 'locked', 'secret.txt'), 's');
    await writeFile(join(root, 'open.txt'), 'o');
    await chmod(join(root, 'locked'), 0o000);
    try {
      let entries: WalkEntry[];
      if (runningAsRoot) {
        await openUpForNobody(dir, root);
        entries = callAsNobody('core/ingest/walk.ts', 'walkFolder', [root]) as WalkEntry[];
      } else {
        entries = await collect(root);
      }
      const locked = entries.find((e) => e.relPath === 'locked');
      assert.ok(locked?.skipped && locked.reason.includes('permission denied'), JSON.stringify(entries));
      assert.ok(entries.some((e) => e.relPath === 'open.txt' && !e.skipped));
    } finally {
      await chmod(join(root, 'locked'), 0o755);
    }
  });
});

describe('isIgnoredPath', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ign-'));
    await mkdir(join(dir, 'docs', 'drafts'), { recursive: true });
    await mkdir(join(dir, 'out'), { recursive: true });
    await writeFile(join(dir, '.gitignore'), 'out/\n*.log\n');
    await writeFile(join(dir, 'docs', '.gitignore'), 'drafts/\n!important.log\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const cases: [string, boolean][] = [
    ['notes.md', false],
    ['.env', true],
    ['sub/.cache/x.txt', true],
    ['node_modules/a/b.js', true],
    ['.git/HEAD', true],
    ['out/a.txt', true],
    ['out', true],
    ['debug.log', true],
    ['docs/guide.md', false],
    ['docs/drafts/wip.md', true],
    ['docs/important.log', false],
    ['docs/other.log', true],
  ];
  for (const [rel, expected] of cases) {
    it(`${rel} -> ${expected ? 'ignored' : 'kept'}`, () => {
      assert.equal(isIgnoredPath(dir, join(dir, rel)), expected);
    });
  }

  it('does not ignore the root itself or judge paths outside it', () => {
    assert.equal(isIgnoredPath(dir, dir), false);
    assert.equal(isIgnoredPath(join(dir, 'docs'), join(dir, 'debug.log')), false);
  });
});
