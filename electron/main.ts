// Electron main: one secure window showing the renderer from app://, and a thin relay between the window's IPC and
// the engine host in a utility process (which validates every payload, maps errors and routes events). Each window
// is one host connection: it receives the events it asked for, and closing it cancels what it started.
// The Electron pieces are passed in, so tests run this file in plain Node with fakes over worker threads.
import type * as Electron from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_NAMES } from '../core/contract/api.js';
import type { IpcReply } from '../core/contract/bridge.js';
import type { HostClient, HostConnection } from '../core/host/client.js';
import { superviseHost } from '../core/host/supervisor.js';
import { resolveDataDirs } from '../core/models/paths.js';
import { contentTypeFor, resolveStaticPath } from '../core/serve/static-files.js';
import { startEngineProcess, type EngineProcessConfig } from './engine-client.js';
import { IPC_CHANNELS } from './ipc-channels.js';
import {
  APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, isAllowedNavigation, isPermissionGranted, isTrustedSender,
  RENDERER_HEADERS, WINDOW_OPEN_DECISION, windowOptions,
} from './security.js';

export type DesktopElectron = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'dialog' | 'ipcMain' | 'protocol' | 'session' | 'utilityProcess'>;

export interface DesktopOptions {
  /** The engine's utility-process script (dist/electron/engine-process.js). */
  engineEntry: string;
  preloadPath: string;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  dirs: EngineProcessConfig;
  log?: (line: string) => void;
}

export interface DesktopApp {
  engine: HostClient;
  /** The window shown at start (tests drive it). */
  window: Electron.BrowserWindow;
  /** Opens another window, with its own engine connection. */
  openWindow(): Electron.BrowserWindow;
}

const UNTRUSTED: IpcReply = { ok: false, error: { code: 'untrusted-sender', message: 'This page may not use the LocalRAG API.' } };

/** Registers what must precede `ready` at once, then starts the engine and opens the window. */
export function startDesktopApp(electron: DesktopElectron, options: DesktopOptions): Promise<DesktopApp> {
  const { app, BrowserWindow, dialog, ipcMain, protocol, session } = electron;
  const log = options.log ?? ((line: string) => console.error(line));
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
    const file = resolveStaticPath(options.rendererDir, new URL(request.url).pathname);
    if (!file) return new Response('Not found', { status: 404, headers: RENDERER_HEADERS });
    return new Response(await readFile(file), { headers: { ...RENDERER_HEADERS, 'Content-Type': contentTypeFor(file) } });
  }

  async function main(): Promise<DesktopApp> {
    await app.whenReady();
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionGranted(permission)));
    session.defaultSession.setPermissionCheckHandler((_wc, permission) => isPermissionGranted(permission));
    protocol.handle(APP_SCHEME, serveRenderer);

    // A crashed engine process is started again and the windows keep their connections (core/host/supervisor.ts).
    const engine = superviseHost(() => startEngineProcess(electron.utilityProcess.fork, options.engineEntry, options.dirs, log), { log });
    engine.onStop((error) => { if (error) log(`LocalRAG engine: ${error.message}`); });
    /** One host connection per window, by its web contents' id. */
    const connections = new Map<number, HostConnection>();

    ipcMain.handle(IPC_CHANNELS.call, async (event, method, req): Promise<IpcReply> => {
      const connection = connections.get(event.sender.id);
      if (!connection || !isTrustedSender(event.senderFrame?.url)) return UNTRUSTED;
      return connection.call(String(method), req);
    });
    ipcMain.handle(IPC_CHANNELS.pickFolder, async (event) => {
      const win = BrowserWindow.getAllWindows().find((w) => !w.isDestroyed() && w.webContents.id === event.sender.id);
      if (!win || !isTrustedSender(event.senderFrame?.url)) return null;
      const r = await dialog.showOpenDialog(win, { properties: ['openDirectory'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    });

    const open = (): Electron.BrowserWindow => {
      const win = new BrowserWindow(windowOptions(options.preloadPath));
      const contents = win.webContents;
      const connection = engine.connect();
      connections.set(contents.id, connection);
      for (const name of EVENT_NAMES) {
        connection.on(name, (payload) => { if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.event, name, payload); });
      }
      // The window closing cancels what it started (an answer being written, a search, a reindex it asked for).
      contents.once('destroyed', () => {
        connections.delete(contents.id);
        connection.close();
      });
      win.once('ready-to-show', () => win.show());
      void win.loadURL(APP_ENTRY_URL);
      return win;
    };
    const window = open();
    app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) open(); });

    // Quitting cancels everything the engine runs, closes it, then lets the app go.
    let engineClosed = false;
    let quitting: Promise<void> | null = null;
    const quit = () => {
      quitting ??= engine.shutdown().then(() => {
        engineClosed = true;
        app.quit();
      });
    };
    app.on('window-all-closed', () => quit());
    app.on('before-quit', (e) => {
      if (engineClosed) return;
      e.preventDefault();
      quit();
    });
    return { engine, window, openWindow: open };
  }

  return main();
}

/** Where the built files lie: main.js in dist/electron, the renderer in dist/renderer. */
export function builtLayout(here: string): Omit<DesktopOptions, 'dirs' | 'log'> {
  return {
    engineEntry: join(here, 'engine-process.js'),
    preloadPath: join(here, 'preload', 'index.js'),
    rendererDir: join(here, '..', 'renderer'),
  };
}

if (process.versions.electron) {
  // Awaited at the top level so the scheme is registered before Electron's `ready` (ESM main, Electron >= 28).
  const electron = await import('electron');
  const here = fileURLToPath(new URL('.', import.meta.url));
  const { storeDir, modelsDir } = resolveDataDirs();
  startDesktopApp(electron, { ...builtLayout(here), dirs: { storeDir, modelsDir } }).catch((err: unknown) => {
    console.error('LocalRAG could not start:', err);
    electron.app.exit(1);
  });
}
