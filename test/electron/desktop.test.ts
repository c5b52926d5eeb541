// The desktop app's main process, preload and engine process, run for real in plain Node: Electron's pieces are
// faked (test/electron/fake-electron.ts), the utility process is a worker thread running electron/engine-process.ts,
// and the renderer side is the renderer's own ipcTransport over the bridge the real preload exposed.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { API_METHODS, EVENT_NAMES } from '../../core/contract/api.js';
import { builtLayout, startDesktopApp, type DesktopApp } from '../../electron/main.js';
import { IPC_CHANNELS } from '../../electron/ipc-channels.js';
import { APP_ENTRY_URL, RENDERER_CSP, SECURE_WEB_PREFERENCES } from '../../electron/security.js';
import { ipcTransport } from '../../renderer/src/api/ipc-transport.js';
import { contractSuite, type ContractTarget } from '../host/contract-suite.js';
import { testModelsDir, tinyModels } from '../support/models.js';
import { projectRoot, tempDir } from '../support/temp.js';
import { fakeElectron, runPreload, type FakeElectron, type FakeWebContents } from './fake-electron.js';

/** The source layout: main.ts beside engine-process.ts (the built app has the same files as .js). */
function sourceLayout(rendererDir: string) {
  const layout = builtLayout(join(projectRoot, 'electron'));
  return { ...layout, engineEntry: layout.engineEntry.replace(/\.js$/, '.ts'), rendererDir };
}

async function startApp(storeDir: string, rendererDir: string): Promise<{ fake: FakeElectron; app: DesktopApp }> {
  await tinyModels();
  const fake = fakeElectron();
  const app = await startDesktopApp(fake.electron, { ...sourceLayout(rendererDir), dirs: { storeDir, modelsDir: testModelsDir }, log: () => {} });
  const failed = await app.engine.ready;
  assert.equal(failed, null, 'the engine process started');
  return { fake, app };
}

/** A new window and its renderer: the preload's bridge, wrapped by the renderer's own transport. */
function rendererOf(fake: FakeElectron, contents: FakeWebContents, frameUrl = APP_ENTRY_URL) {
  const { exposed, bridge } = runPreload(fake, contents, frameUrl);
  return { exposed, bridge, api: ipcTransport(bridge) };
}

contractSuite('Electron window (preload, main, utility process)', async (storeDir): Promise<ContractTarget> => {
  const { fake, app } = await startApp(storeDir, tempDir('localrag-renderer-'));
  let first = true;
  return {
    async client() {
      // The window main opened at start is the first client; later ones come from 'activate' with no window left
      // open... so they are opened the way main opens every window.
      const win = first ? app.window : app.openWindow();
      first = false;
      const contents = win.webContents as unknown as FakeWebContents;
      return { api: rendererOf(fake, contents).api, close: async () => win.close() };
    },
    async teardown() {
      await app.engine.shutdown();
    },
  };
});

describe('Electron security, against the running host', () => {
  let fake: FakeElectron;
  let app: DesktopApp;
  let rendererDir: string;

  before(async () => {
    const dir = tempDir('localrag-desktop-');
    rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dir, 'secret.txt'), 'not for the renderer');
    symlinkSync(join(dir, 'secret.txt'), join(rendererDir, 'leak.txt'));
    ({ fake, app } = await startApp(join(dir, 'store'), rendererDir));
  });
  after(async () => {
    await app?.engine.shutdown();
  });

  test('the window is isolated, sandboxed and has no Node, and loads only the app', () => {
    const win = fake.windows[0]!;
    const prefs = win.options.webPreferences;
    for (const [key, value] of Object.entries(SECURE_WEB_PREFERENCES)) assert.equal(prefs[key], value, key);
    assert.equal(prefs.preload, sourceLayout(rendererDir).preloadPath);
    assert.equal(win.webContents.getURL(), APP_ENTRY_URL);
    assert.equal(fake.sandboxEnabled(), true, 'app.enableSandbox() is called before ready');
    assert.deepEqual(fake.schemes, [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  test('navigation away, new windows, <webview> and permissions are refused', () => {
    const contents = fake.windows[0]!.webContents;
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://other/index.html']) {
      for (const event of ['will-navigate', 'will-redirect']) {
        const e = { prevented: false, preventDefault() { this.prevented = true; } };
        contents.emit(event, e, url);
        assert.equal(e.prevented, true, `${event} ${url}`);
      }
    }
    const inside = { prevented: false, preventDefault() { this.prevented = true; } };
    contents.emit('will-navigate', inside, 'app://localrag/index.html');
    assert.equal(inside.prevented, false);
    const webview = { prevented: false, preventDefault() { this.prevented = true; } };
    contents.emit('will-attach-webview', webview);
    assert.equal(webview.prevented, true);
    assert.deepEqual(contents.windowOpenHandler?.({ url: 'https://example.com/' }), { action: 'deny' });
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal']) {
      assert.equal(fake.permissionRequest(p), false, p);
      assert.equal(fake.permissionCheck(p), false, p);
    }
  });

  test('the app:// handler sends the CSP and never a file outside the renderer folder', async () => {
    const handler = fake.protocolHandler();
    assert.ok(handler);
    const page = await handler(new Request('app://localrag/index.html'));
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), RENDERER_CSP);
    for (const path of ['/leak.txt', '/%2e%2e/secret.txt', '/../secret.txt']) {
      const r = await handler(new Request(`app://localrag${path}`));
      assert.equal(r.status, 404, path);
    }
  });

  test('the preload exposes exactly call/on/pickFolder and needs nothing but electron', () => {
    const { exposed } = rendererOf(fake, fake.windows[0]!.webContents);
    assert.deepEqual(Object.keys(exposed), ['localrag']);
    assert.deepEqual(Object.keys(exposed.localrag as object).sort(), ['call', 'on', 'pickFolder']);
  });

  test('a frame that is not the app gets no answer, and the engine never sees its request', async () => {
    const before = (await rendererOf(fake, fake.windows[0]!.webContents).api.call('getSettings', {})).alpha;
    const evil = rendererOf(fake, fake.windows[0]!.webContents, 'https://evil.example/');
    const reply = await evil.bridge.call('updateSettings', { alpha: before === 0.5 ? 0.25 : 0.5 });
    assert.deepEqual(reply, { ok: false, error: { code: 'untrusted-sender', message: 'This page may not use the LocalRAG API.' } });
    assert.equal(await evil.bridge.pickFolder(), null);
    const after = (await rendererOf(fake, fake.windows[0]!.webContents).api.call('getSettings', {})).alpha;
    assert.equal(after, before, 'the settings did not change');
  });

  test('web contents that are not one of the app windows get no answer', async () => {
    const stray = new (fake.windows[0]!.webContents.constructor as new () => FakeWebContents)();
    const { bridge } = rendererOf(fake, stray);
    assert.equal((await bridge.call('getStatus', {})).ok, false);
  });

  test('the native folder picker answers the app window', async () => {
    fake.pickedFolder = '/home/ada/notes';
    assert.equal(await rendererOf(fake, fake.windows[0]!.webContents).bridge.pickFolder(), '/home/ada/notes');
    fake.pickedFolder = null;
    assert.equal(await rendererOf(fake, fake.windows[0]!.webContents).bridge.pickFolder(), null);
  });

  test('main forwards only the contract: every method is validated in the engine process', async () => {
    const { bridge } = rendererOf(fake, fake.windows[0]!.webContents);
    const reply = await bridge.call('runShell' as never, { cmd: 'rm -rf /' });
    assert.equal(reply.ok, false);
    assert.equal(!reply.ok && reply.error.code, 'unknown-method');
    assert.ok(API_METHODS.length > 10 && EVENT_NAMES.length >= 5);
    assert.deepEqual([...fake.handlers.keys()].sort(), [IPC_CHANNELS.call, IPC_CHANNELS.pickFolder].sort());
  });

  test('an engine process that dies is started again, and the open window carries on with it', async () => {
    const { api } = rendererOf(fake, fake.windows[0]!.webContents);
    const settings = await api.call('getSettings', {});
    await fake.workers[0]!.terminate(); // what a crash of the utility process looks like to main
    const end = Date.now() + 20_000;
    while (fake.workers.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.equal(fake.workers.length, 2, 'a new engine process was started');
    assert.deepEqual(await api.call('getSettings', {}), settings, 'the same window talks to the new engine, on the same store');
  });

  test('closing the last window shuts the engine down, then the app quits', async () => {
    for (const w of fake.windows) w.close();
    const end = Date.now() + 20_000;
    while (fake.quitCalls() === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.equal(fake.quitCalls(), 1);
    assert.equal(await fake.workerExits.at(-1), 0, 'the engine process closed cleanly');
    assert.equal(fake.workers.length, 2, 'a shutdown is not a crash: no engine was started again');
  });
});
