// A model download through the engine host, cancelled mid-file: by the caller's signal (its window or connection
// going away) and by id from another connection. Nothing is installed either way. The hub is the models' loopback
// replay of the Hugging Face Hub, with the model file stalling after half its bytes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DownloadProgress } from '../../core/contract/api.js';
import { hostInThread } from '../../core/host/in-thread.js';
import { modelStatus } from '../../core/models/index.js';
import { startFakeHub } from '../models/fake-hub.js';
import { hubFixture } from '../models/hub-fixture.js';
import { createEngine } from '../../core/engine.js';
import { tempDir } from '../support/temp.js';

const ID = 'multilingual-e5-small';

test('a download stops when its caller goes away or when it is cancelled by id, and installs nothing', async () => {
  const fx = await hubFixture();
  // Every ONNX file the plan may pick for this CPU stalls halfway.
  const onnx = Object.values(fx.repos).flatMap((r) => Object.keys(r.files)).filter((p) => p.endsWith('.onnx'));
  const hub = await startFakeHub({ repos: fx.repos, renamed: fx.renamed, stallMidFile: onnx });
  // Its own models folder: a download stages files there, which no other test may see.
  const modelsDir = tempDir('localrag-dl-models-');
  const engine = await createEngine({ storeDir: join(tempDir('localrag-dl-'), 'store'), modelsDir, overrides: { hubHost: hub.host } });
  const host = hostInThread(engine);
  try {
    const a = host.connect();
    const progress: DownloadProgress[] = [];
    a.on('onDownloadProgress', (p) => progress.push(p as DownloadProgress));
    const stalled = async () => {
      const end = Date.now() + 60_000;
      while (!hub.requests.some((r) => r.server === 'cdn' && r.range !== 'bytes=0-0') && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(progress.some((p) => p.loaded > 0 && !p.done), 'the model file is half downloaded');
    };

    const abort = new AbortController();
    const first = a.call('downloadModel', { id: ID }, abort.signal);
    await stalled();
    abort.abort();
    const reply = await first;
    assert.equal(!reply.ok && reply.error.code, 'download-cancelled');
    assert.equal(modelStatus(modelsDir, ID, 'embedder').present, false, 'nothing installed');

    progress.length = 0;
    hub.requests.length = 0;
    const b = host.connect();
    const second = a.call('downloadModel', { id: ID });
    await stalled();
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
