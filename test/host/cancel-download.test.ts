// A model download through the engine host, cancelled mid-file: by the caller's signal (its window or connection
// going away) and by id from another connection. Nothing is installed either way. The hub is a loopback server
// laid out like the Hugging Face Hub whose model file stalls after half its bytes.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DownloadProgress } from '../../core/contract/api.js';
import { hostInThread } from '../../core/host/in-thread.js';
import { modelStatus } from '../../core/models/index.js';
import { tinyEngine } from '../support/engine.js';
import { tinyModels } from '../support/models.js';
import { tempDir } from '../support/temp.js';

const ID = 'multilingual-e5-small';
const REPO = 'intfloat/multilingual-e5-small';
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];

/** Serves the tiny embedder's files as REPO; every large file sends half its bytes and then nothing more. */
async function stallingHub(dir: string): Promise<{ host: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const m = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!m || m[1] !== REPO || !FILES.includes(m[2]!)) return void res.writeHead(404).end('Entry not found');
    const file = join(dir, m[2]!);
    const size = statSync(file).size;
    if (req.headers.range === 'bytes=0-0') {
      res.writeHead(206, { 'Content-Length': '1', 'Content-Range': `bytes 0-0/${size}`, 'Accept-Ranges': 'bytes' });
      return void res.end(readFileSync(file).subarray(0, 1));
    }
    res.writeHead(200, { 'Content-Length': String(size), 'Content-Type': 'application/octet-stream' });
    if (size < 100_000) return void res.end(readFileSync(file));
    res.write(readFileSync(file).subarray(0, Math.floor(size / 2)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => { server.closeAllConnections(); return new Promise((r) => server.close(() => r())); },
  };
}

test('a download stops when its caller goes away or when it is cancelled by id, and installs nothing', async () => {
  const { embedderDir } = await tinyModels();
  const hub = await stallingHub(embedderDir);
  const store = join(tempDir('localrag-dl-'), 'store');
  const engine = await tinyEngine(store, {}, { hubHost: hub.host });
  const modelsDir = (await engine.getStatus()).modelsDir;
  const host = hostInThread(engine);
  try {
    const a = host.connect();
    const progress: DownloadProgress[] = [];
    a.on('onDownloadProgress', (p) => progress.push(p as DownloadProgress));
    const waitForBytes = async () => {
      const end = Date.now() + 30_000;
      while (!progress.some((p) => p.loaded > 0 && !p.done) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      assert.ok(progress.some((p) => p.loaded > 0), 'the download started');
    };

    const abort = new AbortController();
    const first = a.call('downloadModel', { id: ID }, abort.signal);
    await waitForBytes();
    abort.abort();
    const reply = await first;
    assert.equal(!reply.ok && reply.error.code, 'download-cancelled');
    assert.equal(modelStatus(modelsDir, ID, 'embedder').present, false, 'nothing installed');

    progress.length = 0;
    const b = host.connect();
    const second = a.call('downloadModel', { id: ID });
    await waitForBytes();
    assert.deepEqual(await b.call('cancel', { requestId: ID }), { ok: true, result: { cancelled: true } });
    const reply2 = await second;
    assert.equal(!reply2.ok && reply2.error.code, 'download-cancelled');
    assert.equal(modelStatus(modelsDir, ID, 'embedder').present, false, 'nothing installed');
  } finally {
    await host.shutdown();
    await engine.close();
    await hub.close();
  }
});
