// Model folders on disk: default paths, status and how-to-get messages, listing, and importing good and broken folders.
import assert from 'node:assert/strict';
import { rejection } from './model-error-support.js';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Embedder } from '../../core/embed/embedder.js';
import { profileFor } from '../../core/embed/profiles.js';
import {
  defaultDataDir, defaultModelsDir, importModel, listModels, missingModelError, ModelError, modelStatus, resolveModelDir,
  SYNTH_PROVENANCE,
} from '../../core/models/index.js';
import { tinyModels } from '../support/models.js';
import { tempDir } from '../support/temp.js';

let tinyDir = '';
before(async () => { tinyDir = (await tinyModels()).embedderDir; });

/** A copy of the tiny model without the synthesiser's marker: what a real folder from elsewhere looks like. */
function plainFolder(t: { after(fn: () => void): void }, name = 'bert-tiny'): string {
  const dir = join(tempDir(), name);
  cpSync(tinyDir, dir, { recursive: true });
  rmSync(join(dir, 'localrag-model.json'));
  return dir;
}


describe('default folders', () => {
  const home = '/home/ada';
  test('per platform, with XDG and the LOCALRAG_* overrides', () => {
    assert.equal(defaultDataDir({}, 'linux', home), '/home/ada/.local/share/localrag');
    assert.equal(defaultDataDir({ XDG_DATA_HOME: '/data/xdg' }, 'linux', home), '/data/xdg/localrag');
    assert.equal(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', home), '/home/ada/.local/share/localrag');
    assert.equal(defaultDataDir({}, 'darwin', home), '/home/ada/Library/Application Support/localrag');
    assert.equal(defaultDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada'), 'C:\\Users\\ada\\AppData\\Roaming\\localrag');
    assert.equal(defaultDataDir({ LOCALRAG_HOME: '/portable' }, 'win32', home), '/portable');
    assert.equal(defaultModelsDir({}, 'linux', home), '/home/ada/.local/share/localrag/models');
    assert.equal(defaultModelsDir({ LOCALRAG_HOME: '/portable' }, 'linux', home), '/portable/models');
    assert.equal(defaultModelsDir({ LOCALRAG_HOME: '/portable', LOCALRAG_MODELS: '/m' }, 'linux', home), '/m');
    assert.equal(defaultModelsDir({ APPDATA: 'D:\\roam' }, 'win32', 'C:\\Users\\ada'), 'D:\\roam\\localrag\\models');
  });
});

describe('modelStatus', () => {
  test('a missing known model says which command and which app screen get it', (t) => {
    const modelsDir = tempDir();
    const s = modelStatus(modelsDir, 'multilingual-e5-small', 'embedder');
    assert.deepEqual({ present: s.present, path: s.path, provenance: s.provenance, quantized: s.quantized },
      { present: false, path: join(modelsDir, 'multilingual-e5-small'), provenance: undefined, quantized: undefined });
    assert.match(s.howToGet ?? '', /`localrag models download multilingual-e5-small`/);
    assert.match(s.howToGet ?? '', /Library > Models/);
    assert.match(s.howToGet ?? '', /`localrag models import <folder> --role embedder --id multilingual-e5-small`/);
  });

  test('a missing unknown model can only be imported', (t) => {
    const s = modelStatus(tempDir(), 'my-reranker', 'cross-encoder');
    assert.doesNotMatch(s.howToGet ?? '', /models download/);
    assert.match(s.howToGet ?? '', /`localrag models import <folder> --role cross-encoder --id my-reranker`/);
    assert.match(s.howToGet ?? '', /Library > Models > Import/);
  });

  test('an incomplete folder is not present and its message names what it lacks', (t) => {
    const modelsDir = tempDir();
    const dir = join(modelsDir, 'ms-marco-MiniLM-L-6-v2');
    cpSync(tinyDir, dir, { recursive: true });
    rmSync(join(dir, 'tokenizer.json'));
    rmSync(join(dir, 'onnx', 'model.onnx'));
    const s = modelStatus(modelsDir, 'ms-marco-MiniLM-L-6-v2', 'cross-encoder');
    assert.equal(s.present, false);
    assert.equal(s.quantized, true);
    assert.match(s.howToGet ?? '', new RegExp(`${dir} lacks tokenizer\\.json\\. `));
    assert.match(s.howToGet ?? '', /localrag models download ms-marco-MiniLM-L-6-v2/);
    rmSync(join(dir, 'onnx'), { recursive: true });
    assert.match(modelStatus(modelsDir, 'ms-marco-MiniLM-L-6-v2', 'cross-encoder').howToGet ?? '',
      /lacks tokenizer\.json, onnx\/model\.onnx or onnx\/model_quantized\.onnx\./);
  });

  test('a synthesised model is present and says its relevance is meaningless', async () => {
    const { modelsDir } = await tinyModels();
    const s = modelStatus(modelsDir, 'tiny-embedder', 'embedder');
    assert.deepEqual({ present: s.present, provenance: s.provenance, quantized: s.quantized, howToGet: s.howToGet },
      { present: true, provenance: SYNTH_PROVENANCE, quantized: true, howToGet: undefined });
    assert.equal(SYNTH_PROVENANCE, 'synthesised (random weights: relevance is meaningless)');
  });

  test('only an fp32 graph is enough, and then the model is not quantized', (t) => {
    const modelsDir = tempDir();
    cpSync(tinyDir, join(modelsDir, 'x'), { recursive: true });
    rmSync(join(modelsDir, 'x', 'onnx', 'model_quantized.onnx'));
    const s = modelStatus(modelsDir, 'x', 'embedder');
    assert.equal(s.present, true);
    assert.equal(s.quantized, undefined);
  });

  test('an absolute path is used as it is', (t) => {
    const elsewhere = plainFolder(t);
    assert.equal(resolveModelDir('/models', elsewhere), elsewhere);
    assert.equal(resolveModelDir('/models', 'e5'), '/models/e5');
    const s = modelStatus('/nowhere', elsewhere, 'embedder');
    assert.deepEqual([s.present, s.path, s.provenance], [true, elsewhere, undefined]);
    const missing = modelStatus('/nowhere', join(elsewhere, 'nope'), 'embedder');
    assert.match(missing.howToGet ?? '', /Point the setting at a complete Hugging Face ONNX folder/);
  });

  test('missingModelError carries a code, a sentence and the how-to', () => {
    const e = missingModelError('ms-marco-MiniLM-L-6-v2', 'cross-encoder');
    assert.equal(e.code, 'model-missing');
    assert.equal(e.message, 'The cross-encoder (reranking) model "ms-marco-MiniLM-L-6-v2" is not installed.');
    assert.match(e.action ?? '', /localrag models download ms-marco-MiniLM-L-6-v2/);
  });
});

describe('importModel', () => {
  test('a good folder is copied in, records where it came from, and loads', async (t) => {
    const src = plainFolder(t);
    const modelsDir = tempDir();
    const s = await importModel({ modelsDir, folder: src, role: 'embedder', id: 'my-embedder' });
    assert.deepEqual({ present: s.present, path: s.path, provenance: s.provenance, quantized: s.quantized, role: s.role },
      { present: true, path: join(modelsDir, 'my-embedder'), provenance: `imported from ${src}`, quantized: true, role: 'embedder' });
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'onnx/model.onnx', 'onnx/model_quantized.onnx']) {
      assert.deepEqual(readFileSync(join(s.path, f)), readFileSync(join(src, f)), f);
    }
    assert.deepEqual(readdirSync(modelsDir), ['my-embedder']);
    // The source is left alone.
    assert.equal(existsSync(join(src, 'localrag-model.json')), false);
    const embedder = await Embedder.load({ id: 'my-embedder', modelDir: s.path, settings: { executionProvider: 'cpu', preferQuantized: true, embedBatchSize: 8 } });
    t.after(() => embedder.close());
    assert.equal(embedder.modelPath, join(s.path, 'onnx', 'model_quantized.onnx'));
    assert.equal((await embedder.embedQuery('lift')).length, embedder.dim);
    assert.deepEqual(listModels(modelsDir).map((m) => [m.id, m.role, m.present]), [['my-embedder', 'embedder', true]]);
  });

  test('the id defaults to the folder name, and an optimum export (model.onnx at the top) is accepted', async (t) => {
    const src = plainFolder(t, 'exported-reranker');
    renameSync(join(src, 'onnx', 'model.onnx'), join(src, 'model.onnx'));
    rmSync(join(src, 'onnx'), { recursive: true });
    const modelsDir = tempDir();
    const s = await importModel({ modelsDir, folder: src, role: 'cross-encoder' });
    assert.equal(s.id, 'exported-reranker');
    assert.equal(s.present, true);
    assert.equal(s.quantized, undefined);
    assert.deepEqual(readFileSync(join(s.path, 'onnx', 'model.onnx')), readFileSync(join(src, 'model.onnx')));
    assert.deepEqual(listModels(modelsDir).map((m) => [m.id, m.role]), [['exported-reranker', 'cross-encoder']]);
  });

  test('a synthesised folder keeps its marker untouched, so it never passes for real weights', async (t) => {
    const modelsDir = tempDir();
    const s = await importModel({ modelsDir, folder: tinyDir, role: 'embedder', id: 'copied-synth' });
    assert.equal(s.provenance, SYNTH_PROVENANCE);
    assert.deepEqual(readFileSync(join(s.path, 'localrag-model.json')), readFileSync(join(tinyDir, 'localrag-model.json')));
  });

  test('large weight files are hard-linked, not copied, on the same file system', async (t) => {
    const src = plainFolder(t);
    truncateSync(join(src, 'onnx', 'model.onnx'), 9 * 1024 * 1024); // past the link threshold; import checks layout only
    const modelsDir = tempDir();
    const s = await importModel({ modelsDir, folder: src, role: 'embedder', id: 'big' });
    const [a, b] = [statSync(join(src, 'onnx', 'model.onnx')), statSync(join(s.path, 'onnx', 'model.onnx'))];
    if (a.dev !== b.dev) return t.skip('temp folders on different file systems: hard links impossible');
    assert.equal(b.ino, a.ino);
    assert.notEqual(statSync(join(s.path, 'config.json')).ino, statSync(join(src, 'config.json')).ino, 'small files are copies');
  });

  test('re-importing under an existing id replaces the folder', async (t) => {
    const modelsDir = tempDir();
    await importModel({ modelsDir, folder: tinyDir, role: 'embedder', id: 'e' });
    const src = plainFolder(t);
    const s = await importModel({ modelsDir, folder: src, role: 'embedder', id: 'e' });
    assert.equal(s.provenance, `imported from ${src}`);
    assert.deepEqual(readdirSync(modelsDir), ['e']);
  });

  test('a broken folder lists everything it lacks and installs nothing', async (t) => {
    const src = plainFolder(t, 'broken');
    rmSync(join(src, 'tokenizer.json'));
    rmSync(join(src, 'onnx'), { recursive: true });
    const modelsDir = tempDir();
    const err = await rejection(importModel({ modelsDir, folder: src, role: 'embedder' }));
    assert.equal(err.code, 'import-incomplete-folder');
    assert.equal(err.message, `${src} is not a complete model folder: it lacks tokenizer.json, onnx/model.onnx (or onnx/model_quantized.onnx).`);
    assert.match(err.action ?? '', /config\.json, tokenizer\.json, onnx\/model\.onnx/);
    assert.deepEqual(readdirSync(modelsDir), []);
  });

  test('a truncated config.json, a missing folder, a bad id and the llm role are refused clearly', async (t) => {
    const modelsDir = tempDir();
    const src = plainFolder(t);
    writeFileSync(join(src, 'config.json'), '{"hidden_size": 3');
    assert.equal((await rejection(importModel({ modelsDir, folder: src, role: 'embedder' }))).code, 'import-invalid-file');
    const gone = join(src, 'not-here');
    const notFound = await rejection(importModel({ modelsDir, folder: gone, role: 'embedder' }));
    assert.deepEqual([notFound.code, notFound.message], ['import-folder-not-found', `There is no folder at ${gone}.`]);
    mkdirSync(join(modelsDir, 'x'));
    assert.equal((await rejection(importModel({ modelsDir, folder: tinyDir, role: 'embedder', id: '../escape' }))).code, 'invalid-model-id');
    assert.equal((await rejection(importModel({ modelsDir, folder: tinyDir, role: 'llm' }))).code, 'import-unsupported-role');
    assert.deepEqual(readdirSync(modelsDir), ['x']);
  });

  test('one ONNX file under another name is taken; several are named so the user can pick one', async (t) => {
    const src = plainFolder(t, 'optimum-o4');
    renameSync(join(src, 'onnx', 'model.onnx'), join(src, 'onnx', 'model_O4.onnx'));
    rmSync(join(src, 'onnx', 'model_quantized.onnx'));
    const modelsDir = tempDir();
    const s = await importModel({ modelsDir, folder: src, role: 'embedder' });
    assert.deepEqual(readFileSync(join(s.path, 'onnx', 'model.onnx')), readFileSync(join(src, 'onnx', 'model_O4.onnx')));
    assert.equal(s.present, true);
    cpSync(join(src, 'onnx', 'model_O4.onnx'), join(src, 'model_qint8_avx512_vnni.onnx'));
    const err = await rejection(importModel({ modelsDir, folder: src, role: 'embedder', id: 'two' }));
    assert.equal(err.code, 'import-incomplete-folder');
    assert.match(err.message, /\(found model_qint8_avx512_vnni\.onnx, onnx\/model_O4\.onnx: rename the one to use to onnx\/model\.onnx\)/);
  });

  test('a sentence-transformers export: 1_Pooling and max_seq_length become the profile; other poolings are refused', async (t) => {
    const src = plainFolder(t, 'bge-like');
    mkdirSync(join(src, '1_Pooling'));
    writeFileSync(join(src, '1_Pooling', 'config.json'), JSON.stringify({ word_embedding_dimension: 32, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }));
    writeFileSync(join(src, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: 128, do_lower_case: false }));
    const modelsDir = tempDir();
    const s = await importModel({ modelsDir, folder: src, role: 'embedder' });
    const profile = profileFor('bge-like', s.path, 'embedder');
    assert.deepEqual([profile.pooling, profile.maxLength], ['cls', 128]);
    writeFileSync(join(src, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_cls_token: false, pooling_mode_lasttoken: true }));
    const err = await rejection(importModel({ modelsDir, folder: src, role: 'embedder', id: 'last-token' }));
    assert.equal(err.code, 'import-unsupported-pooling');
    assert.match(err.message, /1_Pooling\/config\.json asks for lasttoken pooling/);
    assert.deepEqual(readdirSync(modelsDir), ['bge-like']);
  });
});

describe('listModels', () => {
  test('lists model folders with their roles and skips staging folders', async (t) => {
    const modelsDir = tempDir();
    await importModel({ modelsDir, folder: tinyDir, role: 'embedder', id: 'b-embed' });
    const cross = (await tinyModels()).crossEncoderDir;
    cpSync(cross, join(modelsDir, 'a-cross'), { recursive: true });
    rmSync(join(modelsDir, 'a-cross', 'localrag-model.json')); // role comes from config.json's architectures
    cpSync(tinyDir, join(modelsDir, 'multilingual-e5-small.partial'), { recursive: true });
    mkdirSync(join(modelsDir, 'empty'));
    assert.deepEqual(listModels(modelsDir).map((m) => [m.id, m.role, m.present]),
      [['a-cross', 'cross-encoder', true], ['b-embed', 'embedder', true], ['empty', 'embedder', false]]);
    assert.deepEqual(listModels(join(modelsDir, 'nope')), []);
  });
});
