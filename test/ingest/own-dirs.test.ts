// localrag's own folders are never documents: a folder that contains the store or the models folder excludes them,
// a folder inside them is refused, and the watcher never re-indexes the store's own writes.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createEngine } from '../../core/engine.js';
import { ownDirRefusal } from '../../core/ingest/own-dirs.js';
import { walkFolder, type WalkEntry } from '../../core/ingest/walk.js';
import { tempDir } from '../support/temp.js';

async function collect(root: string, ownDirs: { store: string; models: string }): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const e of walkFolder(root, { ownDirs })) out.push(e);
  return out;
}

describe("localrag's own folders", () => {
  it('are reported once as never indexed and never entered, also through a symlink', async () => {
    const root = tempDir('own-walk-');
    const own = { store: join(root, 'store'), models: join(root, 'deep', 'models') };
    mkdirSync(own.store);
    mkdirSync(own.models, { recursive: true });
    writeFileSync(join(own.store, 'localrag.sqlite'), 'SQLite format 3\0');
    writeFileSync(join(own.store, 'notes.txt'), 'looks like a document, is not one');
    writeFileSync(join(own.models, 'README.md'), '# a model card');
    writeFileSync(join(root, 'mine.md'), '# Mine\n');
    symlinkSync('store', join(root, 'store-link'));
    const entries = await collect(root, own);
    assert.deepEqual(entries.map((e) => [e.relPath, e.skipped ? e.problem.code : 'listed']), [
      ['deep/models', 'own-models'],
      ['mine.md', 'listed'],
      ['store', 'own-store'],
      ['store-link', 'own-store'],
    ]);
    const store = entries.find((e) => e.relPath === 'store');
    assert.equal(store?.skipped && store.reason, "localrag's own index (its store folder): never indexed");
  });

  it('refuses a folder inside the store or the models folder, not one that contains them', () => {
    const root = tempDir('own-refuse-');
    const own = { store: join(root, 'store'), models: join(root, 'models') };
    mkdirSync(join(own.store, 'eval'), { recursive: true });
    mkdirSync(own.models);
    const inside = ownDirRefusal(join(own.store, 'eval'), own);
    assert.equal(inside?.code, 'folder-inside-store');
    assert.deepEqual(inside?.params, { folder: join(own.store, 'eval'), dir: own.store });
    assert.ok(inside?.message && inside.action);
    assert.equal(ownDirRefusal(own.models, own)?.code, 'folder-inside-models');
    assert.equal(ownDirRefusal(root, own), null);
  });

  it('a store inside an indexed folder: the engine refuses folders in it and the watcher does not loop', async () => {
    const root = tempDir('own-engine-');
    const storeDir = join(root, 'localrag-store');
    writeFileSync(join(root, 'a.md'), '# A\n\nFirst document.\n');
    const engine = await createEngine({ storeDir, modelsDir: join(root, 'models'), watch: true });
    try {
      await assert.rejects(engine.addFolder({ path: storeDir }), (err: Error & { appError?: { code: string } }) => err.appError?.code === 'folder-inside-store');
      const runs = (): number => engine.db.prepare("SELECT COUNT(*) FROM runs WHERE kind = 'index'").pluck().get() as number;
      const settle = async (): Promise<void> => {
        // Quiet for 2 s (longer than the watcher's debounce): every run the last writes could cause has started.
        for (let last = -1, deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 2_000))) {
          const now = runs();
          const busy = engine.library.progress && !['done', 'error', 'cancelled'].includes(engine.library.progress.phase);
          if (now === last && !busy) return;
          last = now;
        }
        assert.fail(`indexing never settled: ${runs()} runs`);
      };
      await engine.addFolder({ path: root });
      await settle();
      const afterAdd = runs();
      writeFileSync(join(root, 'b.md'), '# B\n\nA second document.\n');
      await settle();
      // The change makes one more run (perhaps two, if the burst straddles a run); its own store writes make none.
      assert.ok(runs() - afterAdd >= 1 && runs() - afterAdd <= 2, `runs went from ${afterAdd} to ${runs()}`);
      const files = await engine.listFiles({});
      assert.deepEqual(files.map((f) => [f.path.slice(root.length + 1), f.state, f.problem?.code]), [
        ['a.md', 'indexed', undefined],
        ['b.md', 'indexed', undefined],
        ['localrag-store', 'skipped', 'own-store'],
      ]);
    } finally {
      await engine.close();
    }
  });
});
