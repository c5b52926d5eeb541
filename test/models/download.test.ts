// Downloads from a replay of the real Hugging Face Hub (fake-hub.ts over hub-fixture.ts): pinned commits, the tree
// API's checksums, LFS files through a CDN redirect, gzip on small files, the 307 rename, and the faults a real
// network has. Every test runs the real download code over real HTTP.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { DownloadProgress } from '../../core/contract/api.js';
import { Embedder } from '../../core/embed/embedder.js';
import { parseFlags, type CpuFeatures } from '../../core/models/cpu.js';
import { lockPathOf } from '../../core/models/download-lock.js';
import { HUB_SOURCES } from '../../core/models/hub-sources.js';
import { ALL_FILES, downloadModel, modelStatus } from '../../core/models/index.js';
import { tempDir } from '../support/temp.js';
import { closedPortHost, startFakeHub, type FakeHub, type FakeHubOptions } from './fake-hub.js';
import { hubFixture, L6_INT8, type HubFixture } from './hub-fixture.js';
import { rejection } from './model-error-support.js';

const E5 = 'multilingual-e5-small';
const L6 = 'ms-marco-MiniLM-L-6-v2';
const E5_REPO = 'intfloat/multilingual-e5-small';
const L6_REPO = 'cross-encoder/ms-marco-MiniLM-L6-v2';
const cpu = (arch: string, flags: string): CpuFeatures => ({ arch, flags: parseFlags(flags), source: 'override' });
const VNNI = cpu('x64', 'sse4_2 avx2 avx512f avx512bw avx512_vnni');
const AVX2 = cpu('x64', 'sse4_2 avx2');

let fx: HubFixture;
before(async () => { fx = await hubFixture(); });

async function hub(t: { after: (fn: () => Promise<void>) => void }, extra: Partial<FakeHubOptions> = {}): Promise<FakeHub> {
  const h = await startFakeHub({ repos: fx.repos, renamed: fx.renamed, pageSize: 7, ...extra });
  t.after(() => h.close());
  return h;
}

const fixtureBytes = (repo: string, path: string) => readFileSync(fx.repos[repo]!.files[path]!);

/** No model folder: nothing that could pass for a model (a .partial folder may stay, for resuming). */
function assertNotInstalled(modelsDir: string, id: string): void {
  assert.equal(modelStatus(modelsDir, id, 'embedder').present, false);
  assert.ok(!existsSync(join(modelsDir, id)));
}

describe('downloadModel against the replayed hub', () => {
  test('e5 on a VNNI CPU: pinned commit, checksums, the VNNI int8 file, progress with ETA, and it loads', async (t) => {
    const h = await hub(t);
    const modelsDir = tempDir();
    const events: DownloadProgress[] = [];

    const status = await downloadModel({ modelsDir, id: E5, hubHost: h.host, cpu: VNNI, onProgress: (p) => events.push(p) });

    const source = HUB_SOURCES[E5]!;
    assert.equal(status.present, true);
    assert.equal(status.quantized, true);
    assert.equal(status.revision, source.main.revision);
    assert.equal(status.provenance, `downloaded from ${E5_REPO}`);
    const byPath = new Map(status.files!.map((f) => [f.path, f]));
    assert.deepEqual([...byPath.keys()].sort(), ['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json']);
    assert.equal(byPath.get('onnx/model_quantized.onnx')!.source, `${E5_REPO}/onnx/model_qint8_avx512_vnni.onnx`);
    assert.deepEqual(readFileSync(join(status.path, 'onnx/model_quantized.onnx')), fixtureBytes(E5_REPO, 'onnx/model_qint8_avx512_vnni.onnx'));
    assert.deepEqual(readFileSync(join(status.path, 'onnx/model.onnx')), fixtureBytes(E5_REPO, 'onnx/model.onnx'));
    for (const f of status.files!) assert.match(f.sha256, /^[0-9a-f]{64}$/);

    // Only the files the app needs, at the pinned commit; big ones from the CDN; never compressed.
    const gets = h.requests.filter((r) => r.server === 'hub' && r.path.includes('/resolve/'));
    assert.ok(gets.every((r) => r.path.includes(`/resolve/${source.main.revision}/`)), 'every file at the pinned commit');
    for (const unused of ['model.safetensors', 'pytorch_model.bin', 'onnx/model_O4.onnx', 'sentencepiece.bpe.model']) {
      assert.ok(!gets.some((r) => r.path.endsWith(unused)), `${unused} is never fetched`);
    }
    assert.equal(h.requests.filter((r) => r.server === 'cdn').length, 2, 'the two ONNX files come from the CDN');
    assert.ok(h.requests.every((r) => r.acceptEncoding === 'identity'), 'every request asks for identity encoding');
    assert.ok(h.requests.some((r) => r.path.startsWith('/api/models/') && r.path.includes('/tree/')), 'the plan comes from the tree API');
    assert.ok(!h.requests.some((r) => r.path.includes('Xenova')), 'the Xenova repo is not consulted on a VNNI CPU');

    // Progress: per file up to its size, an overall total with speed and ETA, and one final event.
    const last = events.at(-1)!;
    const total = status.files!.reduce((s, f) => s + f.size, 0);
    assert.deepEqual({ file: last.file, done: last.done, loaded: last.loaded }, { file: ALL_FILES, done: true, loaded: total });
    const big = events.filter((e) => e.file === 'onnx/model.onnx');
    assert.ok(big.length >= 2 && big.at(-1)!.loaded === byPath.get('onnx/model.onnx')!.size);
    assert.ok(events.every((e) => e.done || (e.overall && e.overall.total === total)), 'overall total on every event');
    assert.ok(events.filter((e) => e.overall).every((e, i, a) => i === 0 || e.overall!.loaded >= a[i - 1]!.overall!.loaded));

    const embedder = await Embedder.load({ id: E5, modelDir: status.path, settings: { executionProvider: 'cpu', preferQuantized: true, embedBatchSize: 8 } });
    t.after(() => embedder.close());
    assert.equal(embedder.modelPath, join(status.path, 'onnx', 'model_quantized.onnx'), 'int8 preferred: the int8 file is loaded');
    assert.equal(embedder.tokenizer.padId, 1, 'XLM-R <pad> is 1');
    const v = await embedder.embedQuery('翼はどうやって揚力を生むのか how do wings generate lift');
    assert.equal(v.length, 16);
    assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-3);
  });

  test('e5 on a CPU without VNNI takes Xenova\'s portable int8 export instead', async (t) => {
    const h = await hub(t);
    const status = await downloadModel({ modelsDir: tempDir(), id: E5, hubHost: h.host, cpu: AVX2 });
    const int8 = status.files!.find((f) => f.path === 'onnx/model_quantized.onnx')!;
    assert.equal(int8.source, 'Xenova/multilingual-e5-small/onnx/model_quantized.onnx');
    assert.deepEqual(readFileSync(join(status.path, int8.path)), fixtureBytes('Xenova/multilingual-e5-small', 'onnx/model_quantized.onnx'));
    assert.ok(h.requests.some((r) => r.path.includes(`/resolve/${HUB_SOURCES[E5]!.alt!.revision}/`)), 'Xenova at its pinned commit');
  });

  for (const [name, c, want] of [
    ['AVX-512 VNNI', VNNI, L6_INT8[0]], ['AVX-512 without VNNI', cpu('x64', 'avx2 avx512f avx512bw'), L6_INT8[1]],
    ['AVX2', AVX2, L6_INT8[2]], ['arm64', cpu('arm64', 'fp asimd'), L6_INT8[3]],
  ] as const) {
    test(`the cross-encoder on ${name} gets ${want}`, async (t) => {
      const h = await hub(t);
      const status = await downloadModel({ modelsDir: tempDir(), id: L6, hubHost: h.host, cpu: c });
      assert.equal(status.files!.find((f) => f.path === 'onnx/model_quantized.onnx')!.source, `${L6_REPO}/${want}`);
      assert.deepEqual(readFileSync(join(status.path, 'onnx/model_quantized.onnx')), fixtureBytes(L6_REPO, want));
      assert.ok(existsSync(join(status.path, 'vocab.txt')) && existsSync(join(status.path, 'onnx/model.onnx')));
    });
  }

  test('a renamed repo is followed through the hub\'s 307 and the user is told', async (t) => {
    const h = await hub(t);
    const source = HUB_SOURCES[L6]!;
    const events: DownloadProgress[] = [];
    const status = await downloadModel({
      modelsDir: tempDir(), id: L6, hubHost: h.host, cpu: VNNI, onProgress: (p) => events.push(p),
      source: { ...source, main: { repo: source.formerly![0]!, revision: source.main.revision } },
    });
    assert.equal(status.present, true);
    assert.ok(h.requests.some((r) => r.path.startsWith('/api/models/cross-encoder/ms-marco-MiniLM-L-6-v2/')), 'asked under the old name');
    assert.ok(events.some((e) => e.note === `cross-encoder/ms-marco-MiniLM-L-6-v2 was renamed to ${L6_REPO} on ${h.host}; downloading from there.`));
    assert.equal(JSON.parse(readFileSync(join(status.path, 'localrag-model.json'), 'utf8')).repo, L6_REPO, 'the marker names the repo as it is now');
  });

  test('small files served gzip-compressed (a client that accepts it) still verify', async (t) => {
    const h = await hub(t);
    const gzipFetch: typeof fetch = (url, init) => {
      const headers = new Headers(init?.headers);
      headers.set('Accept-Encoding', 'gzip');
      return fetch(url, { ...init, headers });
    };
    const status = await downloadModel({ modelsDir: tempDir(), id: L6, hubHost: h.host, cpu: VNNI, fetch: gzipFetch });
    assert.equal(status.present, true);
    assert.deepEqual(readFileSync(join(status.path, 'tokenizer.json')), fixtureBytes(L6_REPO, 'tokenizer.json'));
  });

  test('a corrupted byte fails the checksum, names the file, and installs nothing', async (t) => {
    const h = await hub(t, { corrupt: ['onnx/model.onnx'] });
    const modelsDir = tempDir();
    const events: DownloadProgress[] = [];
    const err = await rejection(downloadModel({ modelsDir, id: L6, hubHost: h.host, cpu: VNNI, onProgress: (p) => events.push(p) }));
    assert.equal(err.code, 'download-checksum-mismatch');
    assert.match(err.message, /^onnx\/model\.onnx for "ms-marco-MiniLM-L-6-v2" arrived damaged: its sha256 is [0-9a-f]{12}…, the hub lists [0-9a-f]{12}…; it was deleted\.$/);
    assert.match(err.appError.action ?? '', /localrag models download ms-marco-MiniLM-L-6-v2/);
    assert.equal(err.appError.params?.file, 'onnx/model.onnx');
    assertNotInstalled(modelsDir, L6);
    assert.ok(!existsSync(join(modelsDir, `${L6}.partial`, 'onnx', 'model.onnx.incomplete')), 'the damaged bytes are deleted');
    assert.equal(events.at(-1)!.error?.code, 'download-checksum-mismatch');
  });

  test('an interrupted download keeps what arrived and the next attempt resumes with Range', async (t) => {
    const modelsDir = tempDir();
    const broken = await hub(t, { dropMidFile: ['onnx/model.onnx'] });
    const err = await rejection(downloadModel({ modelsDir, id: E5, hubHost: broken.host, cpu: VNNI }));
    assert.equal(err.code, 'download-interrupted');
    assert.match(err.message, /^The download of onnx\/model\.onnx for "multilingual-e5-small" stopped after [\d.]+ of [\d.]+ MB \(.+\); nothing was installed\.$/);
    assert.match(err.appError.action ?? '', /it resumes from [\d.]+ MB/);
    assertNotInstalled(modelsDir, E5);
    await broken.close();

    const h = await hub(t);
    const events: DownloadProgress[] = [];
    const status = await downloadModel({ modelsDir, id: E5, hubHost: h.host, cpu: VNNI, onProgress: (p) => events.push(p) });
    const ranged = h.requests.filter((r) => r.server === 'cdn' && r.range);
    assert.equal(ranged.length, 1, 'the big file resumes');
    assert.match(ranged[0]!.range!, /^bytes=[1-9]\d*-$/);
    assert.ok(!h.requests.some((r) => r.server === 'hub' && r.path.endsWith('/tokenizer.json')), 'files verified last time are not fetched again');
    assert.deepEqual(readFileSync(join(status.path, 'onnx/model.onnx')), fixtureBytes(E5_REPO, 'onnx/model.onnx'));
    assert.ok(events.at(-1)!.overall!.resumed > 0, 'progress says how much was resumed');
    assert.deepEqual(readdirSync(modelsDir).filter((n) => !n.startsWith('.')), [E5], 'the staging folder became the model');
  });

  test('a CDN that ignores Range makes the file start over, and it still completes', async (t) => {
    const modelsDir = tempDir();
    const broken = await hub(t, { dropMidFile: ['onnx/model.onnx'] });
    await rejection(downloadModel({ modelsDir, id: L6, hubHost: broken.host, cpu: VNNI }));
    await broken.close();
    const h = await hub(t, { ignoreRange: true });
    const status = await downloadModel({ modelsDir, id: L6, hubHost: h.host, cpu: VNNI });
    assert.deepEqual(readFileSync(join(status.path, 'onnx/model.onnx')), fixtureBytes(L6_REPO, 'onnx/model.onnx'));
  });

  test('a web page answered with 200 (a network sign-in page) is refused and never kept; the rerun completes', async (t) => {
    const h = await hub(t);
    const modelsDir = tempDir();
    const portal = `<html><head><title>Sign in to Hotel WiFi</title></head><body>${'x'.repeat(300)}</body></html>`;
    const page = () => new Response(portal, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    const onFile: typeof fetch = async (input, init) => (String(input).includes('/resolve/') && String(input).endsWith('/config.json') ? page() : fetch(input, init));
    const err = await rejection(downloadModel({ modelsDir, id: L6, hubHost: h.host, cpu: VNNI, fetch: onFile }));
    assert.equal(err.code, 'hub-web-page');
    assert.match(err.message, /^http:\/\/127\.0\.0\.1:\d+ answered config\.json with a web page instead of the Hub's reply \(a network sign-in page, a proxy or an error page\); nothing was kept\.$/);
    assert.deepEqual(err.appError.params, { host: h.host, file: 'config.json', id: L6 });
    assert.ok(!existsSync(join(modelsDir, `${L6}.partial`, 'config.json.incomplete')), 'no byte of the page is kept to resume from');
    assertNotInstalled(modelsDir, L6);
    const onList: typeof fetch = async (input, init) => (String(input).includes('/api/models/') ? page() : fetch(input, init));
    const listed = await rejection(downloadModel({ modelsDir, id: L6, hubHost: h.host, cpu: VNNI, fetch: onList }));
    assert.equal(listed.code, 'hub-web-page', listed.message);
    assert.match(listed.message, /answered the file list of cross-encoder\/ms-marco-MiniLM-L6-v2 with a web page/);
    const status = await downloadModel({ modelsDir, id: L6, hubHost: h.host, cpu: VNNI });
    assert.deepEqual(readFileSync(join(status.path, 'config.json')), fixtureBytes(L6_REPO, 'config.json'));
  });

  test('a required file the repo lacks is named before any weights are fetched', async (t) => {
    const h = await hub(t);
    const source = HUB_SOURCES[E5]!;
    const err = await rejection(downloadModel({
      modelsDir: tempDir(), id: E5, hubHost: h.host, cpu: VNNI,
      source: { ...source, files: { ...source.files, 'vocab.txt': 'vocab.txt' } },
    }));
    assert.equal(err.code, 'model-file-not-found');
    assert.match(err.message, /^intfloat\/multilingual-e5-small on http:\/\/127\.0\.0\.1:\d+ has no vocab\.txt at commit 614241f622f5, so "multilingual-e5-small" cannot be downloaded from there\.$/);
    assert.ok(!h.requests.some((r) => r.server === 'cdn' || r.path.includes('/resolve/')), 'only the listing was read');
  });

  test('a repo the hub does not know says it was renamed or removed', async (t) => {
    const h = await hub(t);
    const source = HUB_SOURCES[L6]!;
    const err = await rejection(downloadModel({ modelsDir: tempDir(), id: L6, hubHost: h.host, source: { ...source, main: { repo: 'cross-encoder/gone', revision: null } } }));
    assert.equal(err.code, 'hub-repo-not-found');
    assert.match(err.message, /has no cross-encoder\/gone: the repo was renamed or removed, or the mirror lacks it\.$/);
  });

  test('a host that refuses connections gives the offline error and suggests import', async () => {
    const modelsDir = tempDir();
    const err = await rejection(downloadModel({ modelsDir, id: E5, hubHost: await closedPortHost() }));
    assert.equal(err.code, 'hub-unreachable');
    assert.match(err.message, /Could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\).*offline/);
    assert.match(err.appError.action ?? '', /localrag models import <folder> --role embedder --id multilingual-e5-small/);
    assertNotInstalled(modelsDir, E5);
  });

  test('an id with no hub source says to import a folder, without touching the network', async (t) => {
    const h = await hub(t);
    const err = await rejection(downloadModel({ modelsDir: tempDir(), id: 'my-own-model', hubHost: h.host }));
    assert.equal(err.code, 'model-unknown');
    assert.match(err.appError.action ?? '', /localrag models import <folder> --role embedder\|cross-encoder --id my-own-model/);
    assert.equal(h.requests.length, 0);
  });

  test('one download per model: a live process\'s lock refuses, a dead one\'s is taken over', async (t) => {
    const h = await hub(t);
    const modelsDir = tempDir();
    writeFileSync(lockPathOf(modelsDir, L6), JSON.stringify({ pid: process.ppid, host: (await import('node:os')).hostname(), at: 'x' }));
    const err = await rejection(downloadModel({ modelsDir, id: L6, hubHost: h.host, cpu: VNNI }));
    assert.equal(err.code, 'model-busy');
    assert.match(err.message, new RegExp(`by process ${process.ppid}`));
    assert.equal(h.requests.length, 0);

    writeFileSync(lockPathOf(modelsDir, L6), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), at: 'x' }));
    const status = await downloadModel({ modelsDir, id: L6, hubHost: h.host, cpu: VNNI });
    assert.equal(status.present, true);
    assert.ok(!existsSync(lockPathOf(modelsDir, L6)), 'the lock is released');
  });

  test('two downloads of one model at once in one process: the second is refused', async (t) => {
    const h = await hub(t);
    const modelsDir = tempDir();
    // Either may take the lock first: exactly one downloads, the other is refused.
    const both = await Promise.allSettled([0, 1].map(() => downloadModel({ modelsDir, id: L6, hubHost: h.host, cpu: VNNI })));
    const done = both.filter((r) => r.status === 'fulfilled');
    const refused = both.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code?: string }] : []));
    assert.equal(done.length, 1, 'one download ran');
    assert.equal(done[0]!.status === 'fulfilled' && done[0]!.value.present, true);
    assert.deepEqual(refused.map((e) => e.code), ['model-busy']);
  });
});
