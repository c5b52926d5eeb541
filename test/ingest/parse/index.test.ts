import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, chmod, mkdir, mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { contentHash, parseFile, type ParseResult } from '../../../core/ingest/parse/index.js';
import { makeFixtureFolder, ODD_NAME, type FixtureFolder } from '../../fixtures/make-fixtures.js';
import { callAsNobody, openUpForNobody, runningAsRoot } from '../unprivileged.js';

describe('parseFile on the fixture folder', () => {
  let dir: string;
  let fx: FixtureFolder;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parse-'));
    fx = await makeFixtureFolder(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('parses every good file, with the kind its extension or content calls for', async () => {
    const kinds: Record<string, string> = {
      'notes.md': 'markdown', 'page.html': 'html', 'report.pdf': 'pdf', 'memo.docx': 'docx', 'readme.txt': 'text',
      'src/app.ts': 'code', 'src/drag.py': 'code', 'src/config.json': 'code', 'no-extension-notes': 'text',
    };
    for (const rel of fx.expectIndexed) {
      const r = await parseFile(join(dir, rel), { maxBytes: fx.maxFileBytes });
      assert.ok(r.ok, `${rel}: ${JSON.stringify(r)}`);
      if (kinds[rel]) assert.equal(r.doc.kind, kinds[rel], rel);
      assert.ok(r.doc.text.trim().length > 0);
      assert.equal(r.sha256, createHash('sha256').update(await readFile(join(dir, rel))).digest('hex'));
    }
  });

  it('refuses each bad file with a visible reason', async () => {
    const byParser = ['broken/corrupt.pdf', 'locked.pdf', 'broken/truncated.docx', 'binary.txt', 'garbled.txt', 'empty.txt', 'huge.txt'];
    for (const rel of byParser) {
      const r = await parseFile(join(dir, rel), { maxBytes: fx.maxFileBytes });
      assert.ok(!r.ok, `${rel} should fail`);
      assert.ok(r.reason.includes(fx.expectSkipped[rel]), `${rel}: "${r.reason}" lacks "${fx.expectSkipped[rel]}"`);
    }
    const empty = await parseFile(join(dir, 'empty.txt'));
    assert.ok(!empty.ok);
    assert.deepEqual(empty.problem, { code: 'empty', message: 'empty file', action: 'nothing to index' });
    assert.equal(empty.reason, 'empty file: nothing to index');
  });

  it('reads paths with spaces, quotes, unicode and newlines', async () => {
    const r = await parseFile(join(dir, ODD_NAME));
    assert.ok(r.ok && r.doc.text.startsWith('Unusual characters'));
  });

  it('reads a file with a Latin-1 byte (not valid UTF-8) as Latin-1, with a note', async () => {
    const r = await parseFile(join(dir, 'invalid-utf8.txt'));
    assert.ok(r.ok && r.doc.text.includes('café au lait'), JSON.stringify(r));
    assert.deepEqual(r.notes.map((n) => [n.code, n.params]), [['decoded-as', { encoding: 'Windows-1252 (Latin-1)' }]]);
  });

  it('follows the symlinked file and reads the same content', async () => {
    const a = await parseFile(join(dir, 'link-to-notes.md'));
    const b = await parseFile(join(dir, 'notes.md'));
    assert.ok(a.ok && b.ok && a.doc.text === b.doc.text && a.sha256 === b.sha256);
  });

  it('refuses a pipe without blocking on it', async (t) => {
    if (!('pipe.txt' in fx.expectSkipped)) return t.skip('mkfifo is not available to make a pipe');
    const r = await parseFile(join(dir, 'pipe.txt'));
    assert.ok(!r.ok && r.code === 'not-regular-file');
  });
});

describe('parseFile failure modes', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'parse-fail-')); });
  after(() => rm(dir, { recursive: true, force: true }));

  it('skips an oversized file by its size alone (a sparse 60 MB file against the default 50 MB limit)', async () => {
    const path = join(dir, 'sparse.txt');
    await writeFile(path, '');
    await truncate(path, 60 * 1024 * 1024);
    const r = await parseFile(path);
    assert.ok(!r.ok && r.code === 'too-large');
    assert.equal(r.reason, 'too large (60 MB > limit 50 MB): raise the size limit to index it');
    assert.deepEqual(r.problem.params, { size: '60 MB', limit: '50 MB' });
  });

  it('rejects a binary with an unknown extension from its first bytes, before any size limit applies', async () => {
    const path = join(dir, 'video.bin-unknown');
    await writeFile(path, Buffer.from([0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70]));
    await truncate(path, 60 * 1024 * 1024);
    // 'binary' (not 'too-large'): the reason users need for a video or an archive is that it is not text.
    const bin = await parseFile(path);
    assert.ok(!bin.ok && bin.code === 'binary' && bin.reason === 'binary file: not indexed');
    const text = join(dir, 'NOTES');
    await writeFile(text, 'An extensionless text file.\n');
    const r = await parseFile(text);
    assert.ok(r.ok && r.doc.kind === 'text');
  });

  it('explains a missing file and a folder given as a file', async () => {
    const gone = await parseFile(join(dir, 'never-existed.txt'));
    assert.ok(!gone.ok && gone.code === 'not-found' && /deleted or moved/.test(gone.reason));
    await mkdir(join(dir, 'folder.txt'));
    const folder = await parseFile(join(dir, 'folder.txt'));
    assert.ok(!folder.ok && folder.code === 'is-a-folder' && /folder/.test(folder.reason));
  });

  it('explains an unreadable file (EACCES, really enforced: run as an unprivileged user when root)', async () => {
    const sub = join(dir, 'perm');
    await mkdir(sub);
    const path = join(sub, 'locked.txt');
    await writeFile(path, 'secret');
    await chmod(path, 0o000);
    let r: ParseResult;
    if (runningAsRoot) {
      await openUpForNobody(dir, sub);
      r = callAsNobody('core/ingest/parse/index.ts', 'parseFile', [path]) as ParseResult;
    } else {
      r = await parseFile(path);
    }
    assert.ok(!r.ok && r.code === 'unreadable');
    assert.equal(r.reason, 'permission denied: cannot read this file: check its permissions');
    assert.deepEqual(r.problem.params, { what: 'file' });
  });

  it('notices a file that changes while it is being read', async () => {
    const path = join(dir, 'growing.log');
    await writeFile(path, 'line of log text\n'.repeat(500_000)); // ~8 MB: reading takes a while
    let done = false;
    const parsing = parseFile(path).finally(() => { done = true; });
    // Keep appending until the parse settles, so a write lands between its before- and after-checks.
    while (!done) await appendFile(path, 'appended while reading\n');
    const r = await parsing;
    assert.ok(!r.ok && r.code === 'changed-during-read', JSON.stringify(r.ok ? 'parsed ok' : r));
  });

  it('never parses a file deleted while it is being read as if it still existed', async () => {
    // Deletion before the read is "not-found" (tested above); deletion during it must never yield a document
    // for a file that no longer exists: either the read fails or the after-check reports the change.
    const path = join(dir, 'vanishing.txt');
    await writeFile(path, 'x'.repeat(4_000_000));
    const parsing = parseFile(path);
    await unlink(path);
    const r = await parsing;
    if (!r.ok) assert.ok(['not-found', 'changed-during-read'].includes(r.code), JSON.stringify(r));
    else assert.fail('a deleted file was parsed as if it still existed');
  });
});

describe('contentHash', () => {
  it('streams a sha256 equal to hashing the whole file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hash-'));
    try {
      const path = join(dir, 'data.bin');
      const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
      await writeFile(path, bytes);
      assert.equal(await contentHash(path), createHash('sha256').update(bytes).digest('hex'));
      await assert.rejects(contentHash(join(dir, 'missing')), /ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
