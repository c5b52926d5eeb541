// The folder and GGUF pickers' listing, on a real tree: folders and GGUF files with sizes, hidden names, links
// (to a folder, to an ancestor, to themselves, to nothing), a FIFO and a socket that must never be opened, a
// folder that cannot be read, the entry limit, the common places, and not a single write.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppError } from '../../core/contract/api.js';
import { browseFolder, MAX_BROWSE_ENTRIES, type BrowseOptions } from '../../core/browse/folder-listing.js';
import { fileSystemRoots, xdgUserDirs } from '../../core/browse/places.js';
import { validateRequest } from '../../core/contract/validate.js';
import { createEngine } from '../../core/engine.js';
import { callAsNobody, openUpForNobody, runningAsRoot } from '../ingest/unprivileged.js';
import { tempDir } from '../support/temp.js';
import { listOutcome, type ListOutcome } from './list-outcome.js';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    const e = (err as { appError?: AppError }).appError;
    assert.ok(e, `an AppError, got ${String(err)}`);
    return e;
  }
  assert.fail('expected the listing to fail');
}

/** Every path under dir with its modification time: a listing that wrote anything would change one. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.name === 'locked' || e.name === 'many') continue;
      out.push(`${p} ${e.isDirectory() || e.isFile() ? statSync(p).mtimeMs : 'other'}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe('browseFolder', { skip: process.platform === 'win32' ? 'FIFOs, sockets and POSIX links are built here' : false }, () => {
  let base: string;
  let root: string;
  let home: string;
  let opts: BrowseOptions;
  let socket: Server;

  before(async () => {
    base = realpathSync(tempDir('localrag-browse-'));
    root = join(base, 'tree');
    home = join(base, 'home');
    for (const d of ['alpha', 'Beta', 'beta 10', 'beta 9', '.hidden', 'models/inner', 'locked/inside']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'models', 'a.gguf'), Buffer.alloc(1234));
    writeFileSync(join(root, 'models', 'B.GGUF'), Buffer.alloc(7));
    writeFileSync(join(root, 'models', 'notes.txt'), 'not a model');
    writeFileSync(join(root, 'big.gguf'), Buffer.alloc(10));
    writeFileSync(join(root, 'readme.txt'), 'hello');
    writeFileSync(join(root, '.secret.gguf'), Buffer.alloc(3));
    execFileSync('mkfifo', [join(root, 'pipe.gguf')]);
    execFileSync('mkfifo', [join(root, 'pipe')]);
    socket = createServer();
    await new Promise<void>((r) => socket.listen(join(root, 'sock'), r));
    symlinkSync('loop', join(root, 'loop'));
    symlinkSync(join(root, 'nowhere'), join(root, 'broken'));
    symlinkSync(join(root, 'alpha'), join(root, 'linkdir'));
    symlinkSync(root, join(root, 'back'));
    symlinkSync(join(root, 'models', 'a.gguf'), join(root, 'link.gguf'));
    symlinkSync(join(root, 'pipe'), join(root, 'to-pipe.gguf'));
    for (const d of ['Documents', 'ダウンロード', '.config']) mkdirSync(join(home, d), { recursive: true });
    writeFileSync(join(home, '.config', 'user-dirs.dirs'), '# written by xdg-user-dirs-update\nXDG_DOWNLOAD_DIR="$HOME/ダウンロード"\nXDG_DESKTOP_DIR="$HOME/"\n');
    opts = { home, modelsDir: join(root, 'models'), platform: 'linux', env: {} };
  });

  after(async () => {
    chmodSync(join(root, 'locked'), 0o755);
    await new Promise<void>((r) => socket.close(() => r()));
  });

  test('lists subfolders (links to folders included), by name, and nothing else', async () => {
    const before = snapshot(root);
    const l = await browseFolder({ path: root, show: 'folders' }, opts);
    assert.equal(l.path, root);
    assert.equal(l.parent, base);
    assert.deepEqual(l.entries.map((e) => e.name), ['alpha', 'back', 'Beta', 'beta 9', 'beta 10', 'linkdir', 'locked', 'models']);
    assert.ok(l.entries.every((e) => e.kind === 'folder' && e.path === join(root, e.name)));
    assert.deepEqual(l.entries.filter((e) => e.link).map((e) => e.name), ['back', 'linkdir']);
    assert.equal(l.note, undefined);
    assert.deepEqual(l.roots, ['/']);
    assert.equal(l.separator, '/');
    assert.deepEqual(snapshot(root), before, 'listing wrote nothing');
  });

  test("'gguf' adds GGUF files with their sizes (a link to one too), never a FIFO, a socket or a link to a pipe", async () => {
    const l = await browseFolder({ path: root, show: 'gguf' }, opts);
    const files = l.entries.filter((e) => e.kind === 'file');
    assert.deepEqual(files.map((e) => [e.name, e.bytes, !!e.link]), [['big.gguf', 10, false], ['link.gguf', 1234, true]]);
    assert.equal(l.entries.findIndex((e) => e.kind === 'file'), l.entries.filter((e) => e.kind === 'folder').length, 'folders first');
    const models = await browseFolder({ path: join(root, 'models'), show: 'gguf' }, opts);
    assert.deepEqual(models.entries.map((e) => [e.name, e.kind, e.bytes]), [['inner', 'folder', undefined], ['a.gguf', 'file', 1234], ['B.GGUF', 'file', 7]]);
  });

  test('hidden names only when asked', async () => {
    const l = await browseFolder({ path: root, show: 'gguf', hidden: true }, opts);
    assert.ok(l.entries.some((e) => e.name === '.hidden'));
    assert.ok(l.entries.some((e) => e.name === '.secret.gguf'));
  });

  test('starts at home, and offers the common places that exist (XDG names honoured) and the models folder', async () => {
    const l = await browseFolder({ show: 'folders' }, opts);
    assert.equal(l.path, home);
    assert.deepEqual(l.places, [
      { id: 'home', path: home },
      { id: 'documents', path: join(home, 'Documents') },
      { id: 'downloads', path: join(home, 'ダウンロード') },
      { id: 'models', path: join(root, 'models') },
    ]);
    assert.deepEqual(xdgUserDirs(home, { XDG_CONFIG_HOME: join(base, 'none') }), {}, 'no user-dirs.dirs: defaults');
  });

  test('a link back to an ancestor leads to it instead of nesting; a looping link is refused by name', async () => {
    const back = await browseFolder({ path: join(root, 'back', 'back', 'back'), show: 'folders' }, opts);
    assert.equal(back.path, root);
    const loop = await rejection(browseFolder({ path: join(root, 'loop'), show: 'folders' }, opts));
    assert.equal(loop.code, 'browse-symlink-loop');
    assert.equal(loop.params?.path, join(root, 'loop'));
  });

  test('refuses relative paths, and says when there is no folder or it is not one', async () => {
    for (const path of ['models', './x', '../etc', 'C:']) {
      const e = await rejection(browseFolder({ path, show: 'folders' }, opts));
      assert.equal(e.code, 'invalid-browse-path', path);
      assert.equal(e.params?.path, path);
    }
    const missing = await rejection(browseFolder({ path: join(root, 'nope'), show: 'folders' }, opts));
    assert.deepEqual([missing.code, missing.params?.path], ['browse-folder-not-found', join(root, 'nope')]);
    const broken = await rejection(browseFolder({ path: join(root, 'broken'), show: 'folders' }, opts));
    assert.equal(broken.code, 'browse-folder-not-found');
    for (const file of ['readme.txt', 'pipe']) {
      const e = await rejection(browseFolder({ path: join(root, file), show: 'folders' }, opts));
      assert.equal(e.code, 'browse-not-a-folder', file);
    }
  });

  test('a GGUF file opens its folder with the file selected', async () => {
    const l = await browseFolder({ path: join(root, 'link.gguf'), show: 'gguf' }, opts);
    assert.equal(l.path, root);
    assert.equal(l.selected, join(root, 'link.gguf'));
    assert.ok(l.entries.some((e) => e.path === l.selected));
  });

  test('a folder that cannot be read says so with its path', async () => {
    chmodSync(join(root, 'locked'), 0o000);
    const req = { path: join(root, 'locked'), show: 'folders' as const };
    let outcome: ListOutcome;
    if (runningAsRoot) {
      await openUpForNobody(base, root);
      outcome = callAsNobody('test/browse/list-outcome.ts', 'listOutcome', [req, opts]) as ListOutcome;
    } else {
      outcome = await listOutcome(req, opts);
    }
    assert.equal(outcome.ok, false, JSON.stringify(outcome));
    if (outcome.ok) return;
    assert.equal(outcome.error.code, 'browse-permission-denied');
    assert.equal(outcome.error.params?.path, join(root, 'locked'));
    assert.match(outcome.error.message, /permission denied/);
    // Its parent still lists it: the problem shows when it is opened.
    const parent = await browseFolder({ path: root, show: 'folders' }, opts);
    assert.ok(parent.entries.some((e) => e.name === 'locked'));
  });

  test(`a folder of more than ${MAX_BROWSE_ENTRIES} entries is cut there with a note`, async () => {
    const many = join(root, 'many');
    for (let i = 0; i < MAX_BROWSE_ENTRIES + 5; i++) mkdirSync(join(many, `d${i}`), { recursive: true });
    const l = await browseFolder({ path: many, show: 'folders' }, opts);
    assert.equal(l.entries.length, MAX_BROWSE_ENTRIES);
    assert.equal(l.note?.code, 'browse-truncated');
    assert.equal(l.note?.params?.shown, MAX_BROWSE_ENTRIES);
    assert.deepEqual(l.entries.slice(0, 3).map((e) => e.name), ['d0', 'd1', 'd2']);
  });

  test('Windows roots are the drives that answer', async () => {
    const roots = await fileSystemRoots('win32', async (p) => p === 'C:\\' || p === 'E:\\');
    assert.deepEqual(roots, ['C:\\', 'E:\\']);
  });

  test('through the contract: the request is validated and the engine lists from its home', async () => {
    assert.throws(() => validateRequest('browseFolder', { show: 'everything' }), /^RequestValidationError: Could not open the folder. What to list must be one of folders, gguf/);
    assert.throws(() => validateRequest('browseFolder', { path: '', show: 'folders' }), /Could not open the folder. The folder path is empty/);
    const engine = await createEngine({ storeDir: join(base, 'store'), modelsDir: join(root, 'models') });
    try {
      const req = validateRequest('browseFolder', { path: join(root, 'models'), show: 'gguf' });
      const l = await engine.browseFolder(req);
      assert.deepEqual(l.entries.map((e) => e.name), ['inner', 'a.gguf', 'B.GGUF']);
      assert.ok(l.places.some((p) => p.id === 'models' && p.path === join(root, 'models')));
      const fromHome = await engine.browseFolder({ show: 'folders' });
      assert.equal(fromHome.path, realpathSync((await import('node:os')).homedir()));
      assert.equal(fromHome.parent, fromHome.path === '/' ? null : dirname(fromHome.path));
    } finally {
      await engine.close();
    }
  });
});
