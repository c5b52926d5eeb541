// Text in any encoding is indexed as the text the author wrote: a Latin-1 file and a Shift_JIS file are found by an
// accented and a Japanese word, and each file's row says which encoding it was read in.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEngine, type Engine } from '../../core/engine.js';
import { tempDir } from '../support/temp.js';
import { encode, SAMPLES } from './hostile/encodings.js';

describe('indexing files in legacy encodings', () => {
  let root: string;
  let folder: string;
  let engine: Engine;
  before(async () => {
    root = tempDir('encodings-');
    folder = join(root, 'docs');
    mkdirSync(folder);
    writeFileSync(join(folder, 'latin1.txt'), encode(SAMPLES.french, 'latin1'));
    writeFileSync(join(folder, 'sjis.txt'), encode(SAMPLES.japanese, 'shiftJis'));
    writeFileSync(join(folder, 'eucjp.md'), encode(`# 風洞試験\n\n${SAMPLES.japaneseMixed}\n`, 'eucJp'));
    writeFileSync(join(folder, 'utf16.txt'), encode('Notes written by a Windows tool, no byte order mark.\n', 'utf16le'));
    writeFileSync(join(folder, 'plain.txt'), 'Plain UTF-8 notes about the wind tunnel.\n');
    engine = await createEngine({ storeDir: join(root, 'store'), modelsDir: join(root, 'no-models') });
    const summary = await engine.reindex({ path: folder });
    assert.deepEqual(summary.skipped, []);
  });
  after(() => engine.close());

  it('finds the Latin-1 file by an accented word', async () => {
    const r = await engine.search({ question: 'crème', params: { mode: 'none' } });
    assert.ok(r.top[0]?.path.endsWith('latin1.txt'), JSON.stringify(r.top.map((c) => c.path)));
    assert.ok(r.top[0].text.includes('Le café crème du matin'), r.top[0].text);
  });

  it('stores the Shift_JIS and EUC-JP files as the Japanese text written', () => {
    // Until Japanese word segmentation reaches BM25, look the word up in the stored text itself.
    const rows = engine.db.prepare("SELECT d.path FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.text LIKE '%' || ? || '%' ORDER BY d.path").pluck().all('風洞') as string[];
    assert.deepEqual(rows.map((p) => p.slice(folder.length + 1)), ['eucjp.md', 'sjis.txt']);
    const sjis = engine.db.prepare("SELECT c.text FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.path LIKE '%sjis.txt'").pluck().all() as string[];
    assert.equal(sjis.join(' ').replace(/\s+/g, ''), SAMPLES.japanese.replace(/\s+/g, ''));
  });

  it("says in each file's row which encoding it was read in", async () => {
    const files = await engine.listFiles({});
    const notes = Object.fromEntries(files.map((f) => [f.path.slice(folder.length + 1), f.note ? `${f.note.code} ${f.note.params?.encoding}` : null]));
    assert.deepEqual(notes, {
      'eucjp.md': 'decoded-as EUC-JP',
      'latin1.txt': 'decoded-as Windows-1252 (Latin-1)',
      'plain.txt': null,
      'sjis.txt': 'decoded-as Shift_JIS',
      'utf16.txt': 'decoded-as UTF-16LE',
    });
    assert.ok(files.every((f) => f.state === 'indexed'));
  });
});
