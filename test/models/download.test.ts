// Downloads from a real loopback HTTP server laid out like the Hugging Face Hub, through the hubHost setting.
import assert from 'node:assert/strict';
import { rejection } from './model-error-support.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { env } from '@huggingface/transformers';
import type { DownloadProgress } from '../../core/contract/api.js';
import { Embedder } from '../../core/embed/embedder.js';
import { ALL_FILES, downloadModel, ModelError, modelStatus } from '../../core/models/index.js';
import { synthesiseModel } from '../../core/models/synth/index.js';
import { tinyModels } from '../support/models.js';
import { tempDir } from '../support/temp.js';
import { closedPortHost, startFakeHub } from './fake-hub.js';

const ID = 'multilingual-e5-small';
const REPO = 'intfloat/multilingual-e5-small';
/** Everything but special_tokens_map.json, so an optional file answers 404. */
const SERVED = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];

let tinyDir = '';
before(async () => { tinyDir = (await tinyModels()).embedderDir; });

function repoFiles(files = SERVED): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, join(tinyDir, f)]));
}


/** No model folder and no staging folder: nothing that could pass for a model. */
function assertNothingInstalled(modelsDir: string): void {
  assert.equal(modelStatus(modelsDir, ID, 'embedder').present, false);
  assert.deepEqual(readdirSync(modelsDir).filter((n) => n.startsWith(ID)), []);
}

describe('downloadModel', () => {
  test('fetches the repo through hubHost with progress, installs it, and the model loads', async (t) => {
    const hub = await startFakeHub({ repos: { [REPO]: repoFiles() } });
    t.after(() => hub.close());
    const modelsDir = tempDir();
    // A synthesised stand-in under the same id is replaced by the real download.
    await synthesiseModel({ role: 'embedder', preset: 'tiny', seed: 7, outDir: join(modelsDir, ID), quantized: false });
    const events: DownloadProgress[] = [];

    const status = await downloadModel({ modelsDir, id: ID, hubHost: hub.host, onProgress: (p) => events.push(p) });

    assert.equal(env.allowRemoteModels, false, 'remote access is switched off again');
    assert.deepEqual(
      { present: status.present, role: status.role, quantized: status.quantized, provenance: status.provenance },
      { present: true, role: 'embedder', quantized: true, provenance: `downloaded from ${REPO}` },
    );
    assert.equal(status.path, join(modelsDir, ID));
    for (const f of SERVED) assert.deepEqual(readFileSync(join(status.path, f)), readFileSync(join(tinyDir, f)), f);
    assert.equal(existsSync(join(status.path, 'special_tokens_map.json')), false);
    const marker = JSON.parse(readFileSync(join(status.path, 'localrag-model.json'), 'utf8'));
    assert.equal(marker.synthesised, undefined);
    assert.deepEqual([marker.source, marker.repo, marker.hubHost], ['hub', REPO, hub.host]);
    assert.deepEqual(readdirSync(modelsDir), [ID]);

    // Every file the hub has reports progress up to its real size; the last event closes the download.
    assert.ok(events.every((e) => e.modelId === ID && !e.error));
    for (const f of SERVED) {
      const mine = events.filter((e) => e.file === f);
      const size = statSync(join(tinyDir, f)).size;
      assert.ok(mine.length >= 2, `${f}: start and end events`);
      assert.ok(mine.every((e) => e.total === size), `${f}: total is the file size`);
      assert.ok(mine.every((e, i) => i === 0 || e.loaded >= mine[i - 1]!.loaded), `${f}: loaded never goes back`);
      assert.equal(mine.at(-1)!.loaded, size);
    }
    assert.ok(events.filter((e) => e.file === 'onnx/model.onnx').length > 10, 'a big file reports as it goes');
    const last = events.at(-1)!;
    const bytes = SERVED.reduce((s, f) => s + statSync(join(tinyDir, f)).size, 0);
    assert.deepEqual(last, { modelId: ID, file: ALL_FILES, loaded: bytes, total: bytes, done: true });
    assert.equal(events.filter((e) => e.done).length, 1);
    assert.ok(hub.requests.some((r) => r.path === `/${REPO}/resolve/main/onnx/model.onnx` && r.range === null));

    const embedder = await Embedder.load({ id: ID, modelDir: status.path, settings: { executionProvider: 'cpu', preferQuantized: false, embedBatchSize: 8 } });
    t.after(() => embedder.close());
    assert.equal(embedder.modelPath, join(status.path, 'onnx', 'model.onnx'));
    const v = await embedder.embedQuery('how do wings generate lift');
    assert.equal(v.length, embedder.dim);
    assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-3, 'e5 vectors are normalised');
  });

  test('a connection dropped mid-file installs nothing and says so', async (t) => {
    const hub = await startFakeHub({ repos: { [REPO]: repoFiles() }, dropMidFile: ['onnx/model.onnx'] });
    t.after(() => hub.close());
    const modelsDir = tempDir();
    const events: DownloadProgress[] = [];

    const err = await rejection(downloadModel({ modelsDir, id: ID, hubHost: hub.host, onProgress: (p) => events.push(p) }));

    assert.equal(err.code, 'download-interrupted');
    assert.match(err.message, /onnx\/model\.onnx/);
    assert.match(err.action ?? '', /localrag models download multilingual-e5-small/);
    assertNothingInstalled(modelsDir);
    assert.equal(env.allowRemoteModels, false);
    const last = events.at(-1)!;
    assert.equal(last.done, true);
    assert.equal(last.error?.code, 'download-interrupted');
  });

  test('a host that refuses connections gives the offline error and suggests import', async (t) => {
    const modelsDir = tempDir();
    const host = await closedPortHost();

    const err = await rejection(downloadModel({ modelsDir, id: ID, hubHost: host }));

    assert.equal(err.code, 'hub-unreachable');
    assert.match(err.message, /Could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\).*offline/);
    assert.match(err.action ?? '', /localrag models import <folder> --role embedder --id multilingual-e5-small/);
    assertNothingInstalled(modelsDir);
    assert.equal(env.allowRemoteModels, false);
  });

  test('a required file the hub lacks (404) names the file before anything big is fetched', async (t) => {
    const hub = await startFakeHub({ repos: { [REPO]: repoFiles(SERVED.filter((f) => f !== 'tokenizer.json')) } });
    t.after(() => hub.close());
    const modelsDir = tempDir();

    const err = await rejection(downloadModel({ modelsDir, id: ID, hubHost: hub.host }));

    assert.equal(err.code, 'model-file-not-found');
    assert.match(err.message, /intfloat\/multilingual-e5-small on http:\/\/127\.0\.0\.1:\d+ has no tokenizer\.json \(HTTP 404\)/);
    assert.ok(hub.requests.every((r) => r.range === 'bytes=0-0'), 'only metadata probes, no file bodies');
    assertNothingInstalled(modelsDir);
  });

  test('an id with no hub repo says to import a folder, without touching the network', async (t) => {
    const hub = await startFakeHub({ repos: {} });
    t.after(() => hub.close());
    const modelsDir = tempDir();

    const err = await rejection(downloadModel({ modelsDir, id: 'my-own-model', hubHost: hub.host }));

    assert.equal(err.code, 'model-unknown');
    assert.match(err.message, /"my-own-model"/);
    assert.match(err.action ?? '', /localrag models import <folder> --role embedder\|cross-encoder --id my-own-model/);
    assert.equal(hub.requests.length, 0);
    assert.deepEqual(readdirSync(modelsDir), []);
  });
});
