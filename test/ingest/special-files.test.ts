// Only regular files are ever read: a FIFO or a socket anywhere in a folder, a FIFO named .gitignore or
// .git/info/exclude included, is skipped or ignored and never blocks the walk, the parser or the watcher.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runInChild } from '../support/child-run.js';
import { tempDir } from '../support/temp.js';
import type { WalkParseReport } from './hostile/probes.js';

const canMkfifo = spawnSync('mkfifo', ['--version']).status === 0;
const mkfifo = (path: string): void => assert.equal(spawnSync('mkfifo', [path]).status, 0, `mkfifo ${path}`);

describe('FIFOs and sockets are never read', { skip: canMkfifo ? false : 'mkfifo is not available on this system' }, () => {
  let dir: string;
  let server: Server;
  before(async () => {
    dir = tempDir('special-files-');
    mkfifo(join(dir, '.gitignore'));
    mkdirSync(join(dir, '.git', 'info'), { recursive: true });
    mkfifo(join(dir, '.git', 'info', 'exclude'));
    mkdirSync(join(dir, 'sub'));
    mkfifo(join(dir, 'sub', '.gitignore'));
    mkfifo(join(dir, 'sub', 'notes.md'));
    writeFileSync(join(dir, 'good.md'), '# Good\n\nA regular file next to the pipes.\n');
    writeFileSync(join(dir, 'sub', 'also-good.txt'), 'Another regular file.\n');
    server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 'sub', 'socket.txt'), resolve));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('walks and parses the folder, skipping the FIFO and the socket with a reason', () => {
    const run = runInChild<WalkParseReport>('test/ingest/hostile/probes.ts', 'walkAndParse', [dir], 60_000);
    assert.deepEqual(run.result.indexed, { 'good.md': 'markdown', 'sub/also-good.txt': 'text' });
    assert.deepEqual(Object.keys(run.result.skipped).sort(), ['sub/notes.md', 'sub/socket.txt']);
    for (const reason of Object.values(run.result.skipped)) assert.match(reason, /not a regular file/);
  });

  it('starts a watcher on the folder', () => {
    assert.equal(runInChild<boolean>('test/ingest/hostile/probes.ts', 'watcherStarts', [dir], 60_000).result, true);
  });
});
