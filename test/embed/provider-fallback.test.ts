// GPU providers as the first real machine treats them, simulated by wrapping real CPU sessions: one that accepts the
// session and throws at its first run, one slower than the CPU, one faster. Each model ends on the provider that
// really works best, with the reason in status (as `localrag status --json` prints it).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import ort from 'onnxruntime-node';
import { Embedder } from '../../core/embed/embedder.js';
import { batchTokensFor, setSessionFactory, type SessionFactory } from '../../core/embed/onnx-session.js';
import { providerUnavailableReason, vulkanDrivers } from '../../core/embed/gpu-adapters.js';
import { CrossEncoder } from '../../core/rerank/cross-encoder.js';
import { tinyEngine } from '../support/engine.js';
import { tinyModels } from '../support/models.js';
import { tempDir } from '../support/temp.js';

afterEach(() => setSessionFactory(null));

/** Sessions for `gpu` are real CPU sessions whose run() is wrapped by `wrapRun`; others are plain CPU sessions. */
function fakeGpu(gpu: string, wrapRun: (run: () => Promise<unknown>) => Promise<unknown>, slowCpuMs = 0): SessionFactory {
  return async (path, provider, options) => {
    const s = await ort.InferenceSession.create(path, { ...options, executionProviders: ['cpu'] });
    const run = s.run.bind(s);
    if (provider === gpu) (s as { run: unknown }).run = (...a: Parameters<typeof run>) => wrapRun(() => run(...a));
    else if (slowCpuMs) (s as { run: unknown }).run = async (...a: Parameters<typeof run>) => { await new Promise((r) => setTimeout(r, slowCpuMs)); return run(...a); };
    return s;
  };
}

const CUDA_ERROR = 'CUDA failure 209: no kernel image is available for execution on the device ; GPU=0';

test('a provider that throws at its first run falls back to the CPU for both models, with the reason in status', async (t) => {
  setSessionFactory(fakeGpu('cuda', async () => { throw new Error(CUDA_ERROR); }));
  const engine = await tinyEngine(tempDir(), {}, { executionProvider: 'cuda' });
  t.after(() => engine.close());
  const status = JSON.parse(JSON.stringify(await engine.getStatus())); // what status --json prints
  assert.equal(status.dense.status, 'ok');
  assert.equal(status.cross.status, 'ok');
  for (const r of [status.execution.embedder, status.execution.crossEncoder]) {
    assert.equal(r.requested, 'cuda');
    assert.equal(r.provider, 'cpu');
    assert.equal(r.fallbackReason, `cuda failed its first run: ${CUDA_ERROR}`);
    assert.ok(r.probeMs.cpu > 0);
    assert.deepEqual(r.placement, { cpu: 1 }, 'every node ran on the CPU (ORT profiler)');
  }
  assert.equal(status.execution.crossEncoder.batchTokens, batchTokensFor('cpu'));
  const result = await engine.search({ question: 'wing lift', params: { mode: 'mixlm' } });
  assert.equal(result.cross.status, 'ok');
});

test('a GPU provider slower than the CPU on the probe is not kept', async () => {
  const { embedderDir } = await tinyModels();
  setSessionFactory(fakeGpu('webgpu', async (run) => { await new Promise((r) => setTimeout(r, 300)); return run(); }));
  const e = await Embedder.load({ id: 'tiny-embedder', modelDir: embedderDir, settings: { executionProvider: 'webgpu', preferQuantized: true, embedBatchSize: 8 } });
  try {
    assert.equal(e.provider, 'cpu');
    assert.match(e.fallbackReason ?? '', /^webgpu ran the probe in [\d.]+ ms, the CPU in [\d.]+ ms: the CPU is faster here$/);
    assert.match(e.modelPath, /model_quantized\.onnx$/, 'the CPU keeps the int8 file');
  } finally {
    await e.close();
  }
});

test('a GPU provider faster than the CPU is kept, on the fp32 file, with the GPU batch budget', async () => {
  const { crossEncoderDir } = await tinyModels();
  setSessionFactory(fakeGpu('webgpu', (run) => run(), 300));
  const c = await CrossEncoder.load({ id: 'tiny-cross-encoder', modelDir: crossEncoderDir, settings: { executionProvider: 'webgpu', preferQuantized: true, crossBatchSize: 32, crossMaxLength: 512 } });
  try {
    assert.equal(c.provider, 'webgpu');
    assert.equal(c.fallbackReason, null);
    assert.equal(c.modelPath, join(crossEncoderDir, 'onnx', 'model.onnx'), 'GPU providers take the fp32 file');
    assert.equal(c.batchTokens, batchTokensFor('webgpu'));
    assert.ok(batchTokensFor('webgpu') > batchTokensFor('cpu'));
    assert.ok(c.session.probeMs!.webgpu! < c.session.probeMs!.cpu!);
    const scores = await c.score('wing lift', ['lift on a wing', 'heat transfer']);
    assert.equal(scores.length, 2);
  } finally {
    await c.close();
  }
});

test('WebGPU is refused without a hardware Vulkan driver, and Mesa lavapipe counts as none', () => {
  const dir = tempDir('icd-');
  const write = (name: string, lib: string) => { const f = join(dir, name); writeFileSync(f, JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: lib, api_version: '1.3.0' } })); return f; };
  const lvp = write('lvp_icd.x86_64.json', '/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so');
  const nv = write('nvidia_icd.json', 'libGLX_nvidia.so.0');
  assert.match(providerUnavailableReason('webgpu', { VK_DRIVER_FILES: '/nonexistent.json' }, 'linux') ?? '', /no Vulkan driver is installed/);
  assert.match(providerUnavailableReason('webgpu', { VK_DRIVER_FILES: lvp }, 'linux') ?? '', /only a software Vulkan driver is installed \(lvp_icd\.x86_64\.json\)/);
  assert.equal(providerUnavailableReason('webgpu', { VK_DRIVER_FILES: `${lvp}:${nv}` }, 'linux'), null);
  assert.equal(vulkanDrivers({ VK_DRIVER_FILES: `${lvp}:${nv}` }).length, 2);
  assert.equal(providerUnavailableReason('webgpu', {}, 'win32'), null, 'Windows: D3D12, decided by the probe');
});
