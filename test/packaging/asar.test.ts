// The desktop package as electron-builder makes it from electron-builder.yml (the real electron-builder, which
// writes app.asar with @electron/asar; only the Electron binary is a stand-in, as it cannot be downloaded here, and
// native modules are not rebuilt for Electron's ABI). Checks: every .node file and every library it loads lies
// outside the archive (ldd), only this platform's binaries are in, and the engine starts from that layout.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, before, test } from 'node:test';
import asar from '@electron/asar';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { folderBytes, isNativeName, libraryProblems, nativeFiles } from '../../core/setup/native-libs.cjs';
import { binCommand } from '../../core/setup/spawn.mjs';
import { testModelsDir, tinyModels } from '../support/models.js';
import { projectRoot, tempDir } from '../support/temp.js';

const built = existsSync(join(projectRoot, 'dist', 'electron', 'main.js')) && existsSync(join(projectRoot, 'dist', 'core', 'engine.js'));
const skip = process.platform !== 'linux' ? 'the library checks use ldd (Linux); other platforms are packaged on their own OS'
  : !built ? 'dist/ is not built: run npm run build (npm run setup does)' : false;

interface Entry { path: string; unpacked: boolean; file: boolean }

/** Every entry of the archive, with electron-builder's decision to keep it in or leave it unpacked. */
function archiveEntries(archive: string): Entry[] {
  const out: Entry[] = [];
  const walk = (node: { files?: Record<string, unknown>; unpacked?: boolean }, path: string) => {
    if (node.files) for (const [name, child] of Object.entries(node.files)) walk(child as typeof node, path ? `${path}/${name}` : name);
    else out.push({ path, unpacked: Boolean(node.unpacked), file: true });
  };
  walk(asar.getRawHeader(archive).header as never, '');
  return out;
}

describe('the desktop package (electron-builder --dir)', { skip }, () => {
  const arch = process.arch;
  let resources: string;
  let unpacked: string;
  let entries: Entry[];

  before(async () => {
    const work = tempDir('localrag-package-');
    // A stand-in for Electron's distribution: the layout electron-builder copies (binary, locales, resources).
    const electronDist = join(work, 'electron-dist');
    mkdirSync(join(electronDist, 'locales'), { recursive: true });
    mkdirSync(join(electronDist, 'resources'));
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(electronDist, 'electron'), 0o755);
    for (const l of ['en-US', 'ja', 'fr', 'de']) writeFileSync(join(electronDist, 'locales', `${l}.pak`), l);
    const electronVersion = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).optionalDependencies.electron;
    const out = join(work, 'release');
    const cmd = binCommand(projectRoot, 'electron-builder', [
      '--linux', 'dir', '--projectDir', projectRoot, '-c.npmRebuild=false', `-c.electronDist=${electronDist}`,
      `-c.electronVersion=${electronVersion}`, `-c.directories.output=${out}`,
    ]);
    const r = spawnSync(cmd.command, cmd.args, { cwd: projectRoot, encoding: 'utf8', timeout: 600_000, env: { ...process.env, CI: '1' } });
    assert.equal(r.status, 0, `electron-builder failed:\n${r.stdout}\n${r.stderr}`);
    const appDir = join(out, `linux-${arch === 'x64' ? '' : `${arch}-`}unpacked`);
    resources = join(appDir, 'resources');
    unpacked = join(resources, 'app.asar.unpacked');
    entries = archiveEntries(join(resources, 'app.asar'));
    assert.deepEqual(execFileSync('ls', [join(appDir, 'locales')], { encoding: 'utf8' }).trim().split('\n'), ['en-US.pak', 'ja.pak']);
  });

  test('every native module and shared library lies outside app.asar', () => {
    const packedNative = entries.filter((e) => !e.unpacked && isNativeName(e.path.split('/').at(-1)!)).map((e) => e.path);
    assert.deepEqual(packedNative, [], 'nothing dlopen must load is inside the archive');
    const modules = entries.filter((e) => e.path.endsWith('.node')).map((e) => e.path);
    for (const m of ['better_sqlite3.node', 'faiss-node.node', 'onnxruntime_binding.node', 'llama-addon.node', `sharp-linux-${arch}`]) {
      assert.ok(modules.some((p) => p.includes(m)), `${m} is packaged`);
    }
    for (const m of modules) assert.ok(existsSync(join(unpacked, m)), `${m} is a real file in app.asar.unpacked`);
    assert.ok(nativeFiles(unpacked).some((f) => /libvips-cpp\.so\.\d+\.\d+\.\d+$/.test(f)), "sharp's libvips-cpp.so.8.x.y is unpacked beside it");
  });

  test('every library a native module loads is in the package or on every glibc Linux (ldd)', () => {
    assert.deepEqual(libraryProblems(unpacked), []);
    const faiss = nativeFiles(unpacked).find((f) => f.endsWith('faiss-node.node'))!;
    assert.match(execFileSync('readelf', ['-d', faiss], { encoding: 'utf8' }), /RUNPATH.*\[\$ORIGIN\]/, 'faiss-node finds its bundled BLAS/LAPACK/OpenMP');
  });

  test("only this platform's binaries, and CPU builds only", () => {
    const paths = entries.map((e) => e.path);
    const ort = [...new Set(paths.filter((p) => p.startsWith('node_modules/onnxruntime-node/bin/')).map((p) => p.split('/').slice(3, 6).join('/')))];
    assert.deepEqual(ort, [`napi-v6/linux/${arch}`]);
    const llama = [...new Set(paths.filter((p) => p.startsWith('node_modules/@node-llama-cpp/')).map((p) => p.split('/')[2]))];
    assert.deepEqual(llama, [`linux-${arch}`]);
    const prebuilds = [...new Set(paths.filter((p) => /\/prebuilds\/[^/]+\//.test(p)).map((p) => p.split('/prebuilds/')[1]!.split('/')[0]))];
    assert.deepEqual(prebuilds.filter((d) => !d.startsWith(`linux-${arch}`)), [], 'no other platform\'s prebuilds');
    for (const banned of [/^node_modules\/onnxruntime-web\//, /(cuda|vulkan|tensorrt).*\.(node|so|dll|dylib)$/i, /^node_modules\/(tsx|esbuild|@esbuild)\//, /gitRelease\.bundle$/, /\.map$/, /^(test|core|renderer|\.cache)\//]) {
      assert.deepEqual(paths.filter((p) => banned.test(p)).slice(0, 5), [], String(banned));
    }
  });

  test('the package is small enough (printed; README states it)', () => {
    const mb = (bytes: number) => Math.round(bytes / 1e6);
    const archive = readFileSync(join(resources, 'app.asar')).length;
    const loose = folderBytes(unpacked);
    console.log(`# package resources: app.asar ${mb(archive)} MB + app.asar.unpacked ${mb(loose)} MB = ${mb(archive + loose)} MB (linux-${arch}, Electron's own runtime not included)`);
    assert.ok(archive + loose < 250e6, `resources ${mb(archive + loose)} MB: something large came back in`);
  });

  test('the engine starts from that layout under Node: indexes Markdown and PDF, searches, loads sharp and llama.cpp', async () => {
    // What Electron sees: the archive's files, plus app.asar.unpacked's real files where the archive points to
    // them. Extracted as one tree, without any native file that was left inside the archive (Electron could only
    // copy such a file out alone, away from the libraries beside it).
    const tree = join(tempDir('localrag-layout-'), 'app');
    asar.extractAll(join(resources, 'app.asar'), tree);
    for (const e of entries.filter((x) => !x.unpacked && isNativeName(x.path.split('/').at(-1)!))) rmSync(join(tree, e.path), { force: true });
    assert.equal(existsSync(join(tree, 'node_modules', 'onnxruntime-web')), false);

    await tinyModels();
    const docs = join(tempDir('localrag-layout-docs-'), 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'wing.md'), '# Wing\n\nThe boundary layer thickens towards the trailing edge.\n');
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage().drawText('Shock waves form over the wing at transonic speed.', { x: 50, y: 700, size: 12, font });
    writeFileSync(join(docs, 'shock.pdf'), await pdf.save());

    const script = `
      const engineUrl = ${JSON.stringify(pathToFileURL(join(tree, 'dist', 'core', 'engine.js')).href)};
      const { createEngine } = await import(engineUrl);
      const engine = await createEngine({ storeDir: ${JSON.stringify(join(tempDir('localrag-layout-store-'), 'store'))}, modelsDir: ${JSON.stringify(testModelsDir)},
        overrides: { embedderModel: 'tiny-embedder', crossEncoderModel: 'tiny-cross-encoder', executionProvider: 'cpu' } });
      const summary = await engine.reindex({ path: ${JSON.stringify(docs)} });
      const result = await engine.search({ question: 'shock waves transonic' });
      const status = await engine.getStatus();
      await engine.close();
      const sharp = (await import('sharp')).default;
      const { getLlama } = await import('node-llama-cpp');
      const llama = await getLlama({ gpu: false, build: 'never', usePrebuiltBinaries: true, progressLogs: false, logLevel: 'error' });
      console.log(JSON.stringify({ indexed: summary.filesIndexed, skipped: summary.skipped, vectors: status.vectors, dense: status.dense.status,
        cross: status.cross.status, top: result.top[0]?.path, vips: sharp.versions.vips, llama: llama.gpu }));
      await llama.dispose();
      process.exit(0);`;
    // A file, not `node -e`: node-llama-cpp forks a child with this process's exec arguments to test its binary.
    writeFileSync(join(tree, 'start-check.mjs'), script);
    const r = spawnSync(process.execPath, [join(tree, 'start-check.mjs')], { cwd: tree, encoding: 'utf8', timeout: 180_000 });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const got = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.equal(got.indexed, 2, JSON.stringify(got.skipped));
    assert.equal(got.vectors, 2);
    assert.equal(got.dense, 'ok');
    assert.equal(got.cross, 'ok');
    assert.equal(relative(docs, got.top), 'shock.pdf');
    assert.match(got.vips, /^8\.\d+\.\d+$/);
    assert.equal(got.llama, false, 'the CPU build of llama.cpp loads');
  });
});
