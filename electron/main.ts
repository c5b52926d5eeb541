// Electron main: one secure window showing the renderer from app://, IPC validated against the contract and
// forwarded to the engine's utility process, events pushed back by name from EVENT_NAMES.
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_NAMES } from '../core/contract/api.js';
import type { IpcReply } from '../core/contract/bridge.js';
import { validateRequest } from '../core/contract/validate.js';
import { toAppError } from '../core/serve/app-error.js';
import { contentTypeFor, resolveStaticPath } from '../core/serve/static-files.js';
import { startEngineProcess, type EngineClient } from './engine-client.js';
import { IPC_CHANNELS } from './ipc-channels.js';
import {
  APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, isAllowedNavigation, isPermissionGranted, isTrustedSender,
  RENDERER_HEADERS, WINDOW_OPEN_DECISION, windowOptions,
} from './security.js';

const here = fileURLToPath(new URL('.', import.meta.url));
// main.js lives in dist/electron; the renderer build is dist/renderer.
const rendererDir = join(here, '..', 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();

// Every web contents, whatever created it: no navigation away from the app, no new windows, no <webview>.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (e, url) => { if (!isAllowedNavigation(url)) e.preventDefault(); });
  contents.on('will-redirect', (e, url) => { if (!isAllowedNavigation(url)) e.preventDefault(); });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => WINDOW_OPEN_DECISION);
});

async function serveRenderer(request: Request): Promise<Response> {
  const file = resolveStaticPath(rendererDir, new URL(request.url).pathname);
  if (!file) return new Response('Not found', { status: 404, headers: RENDERER_HEADERS });
  return new Response(await readFile(file), { headers: { ...RENDERER_HEADERS, 'Content-Type': contentTypeFor(file) } });
}

function registerIpc(engine: EngineClient, window: () => BrowserWindow | null): void {
  ipcMain.handle(IPC_CHANNELS.call, async (event, method, req): Promise<IpcReply> => {
    if (!isTrustedSender(event.senderFrame?.url)) {
      return { ok: false, error: { code: 'untrusted-sender', message: 'This page may not use the LocalRAG API.' } };
    }
    try {
      const valid = validateRequest(String(method), req);
      return await engine.call(method as Parameters<EngineClient['call']>[0], valid);
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  });
  ipcMain.handle(IPC_CHANNELS.pickFolder, async (event) => {
    const win = window();
    if (!win || !isTrustedSender(event.senderFrame?.url)) return null;
    const r = await dialog.showOpenDialog(win, { properties: ['openDirectory'] });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
  engine.onEvent((name, payload) => {
    const win = window();
    if (win && !win.isDestroyed() && (EVENT_NAMES as readonly string[]).includes(name)) win.webContents.send(IPC_CHANNELS.event, name, payload);
  });
}

async function main(): Promise<void> {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionGranted(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => isPermissionGranted(permission));
  protocol.handle(APP_SCHEME, serveRenderer);

  const userData = app.getPath('userData');
  const engine = startEngineProcess(join(here, 'engine-process.js'), {
    storeDir: process.env.LOCALRAG_STORE_DIR ?? join(userData, 'store'),
    modelsDir: process.env.LOCALRAG_MODELS_DIR ?? join(userData, 'models'),
  });
  let win: BrowserWindow | null = null;
  registerIpc(engine, () => win);

  const open = () => {
    win = new BrowserWindow(windowOptions(join(here, 'preload', 'index.js')));
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => { win = null; });
    void win.loadURL(APP_ENTRY_URL);
  };
  open();
  app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) open(); });
  app.on('window-all-closed', () => {
    void engine.close().finally(() => app.quit());
  });
}

main().catch((err: unknown) => {
  console.error('LocalRAG could not start:', err);
  app.exit(1);
});
