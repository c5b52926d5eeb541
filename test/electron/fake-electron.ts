// The pieces of Electron that electron/main.ts uses, faked in plain Node so the desktop app's main process, its
// preload and its engine process run in CI without the Electron binary. What crosses a process boundary is
// structured-cloned as Electron does; the utility process is a worker thread running the real engine-process.ts;
// the preload is compiled and run in a fresh V8 context whose `require` knows only 'electron', as in Electron's
// sandbox. Recorded state (window options, handlers, schemes) is exposed for the security tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import type { LocalRagBridge } from '../../core/contract/bridge.js';
import type { DesktopElectron } from '../../electron/main.js';
import { projectRoot } from '../support/temp.js';

type Listener = (...args: unknown[]) => void;

class Emitter {
  private readonly listeners = new Map<string, Set<Listener>>();
  on(event: string, listener: Listener): this {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => { this.off(event, wrapped); listener(...args); };
    return this.on(event, wrapped);
  }
  off(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) l(...args);
  }
}

export interface NavigationEvent { prevented: boolean; preventDefault(): void }
const navigationEvent = (): NavigationEvent => ({ prevented: false, preventDefault() { this.prevented = true; } });

export class FakeWebContents extends Emitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  url = '';
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  /** The renderer side's ipcRenderer listeners, by channel. */
  readonly rendererListeners = new Map<string, Set<Listener>>();
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const cloned = structuredClone(args);
    for (const l of this.rendererListeners.get(channel) ?? []) l({ sender: null }, ...cloned);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void { this.windowOpenHandler = handler; }
  getURL(): string { return this.url; }
  isDestroyed(): boolean { return this.destroyed; }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export interface FakeElectron {
  electron: DesktopElectron;
  windows: FakeBrowserWindowLike[];
  handlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  schemes: unknown[];
  sandboxEnabled(): boolean;
  protocolHandler(): ((request: Request) => Response | Promise<Response>) | null;
  permissionRequest(permission: string): boolean;
  permissionCheck(permission: string): boolean;
  appEmit(event: string, ...args: unknown[]): void;
  quitCalls(): number;
  workers: Worker[];
  /** Each engine process's exit code, in the order they were started (listened to from the start, so never missed). */
  workerExits: Promise<number>[];
  /** The next folder the native picker returns (null: the user cancels). */
  pickedFolder: string | null;
}

export interface FakeBrowserWindowLike {
  options: Record<string, unknown> & { webPreferences: Record<string, unknown> };
  webContents: FakeWebContents;
  close(): void;
  isDestroyed(): boolean;
}

export function fakeElectron(): FakeElectron {
  const app = new Emitter();
  const windows: FakeBrowserWindowLike[] = [];
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const schemes: unknown[] = [];
  const workers: Worker[] = [];
  const workerExits: Promise<number>[] = [];
  let sandbox = false;
  let quits = 0;
  let protocolHandler: ((request: Request) => Response | Promise<Response>) | null = null;
  let requestHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
  let checkHandler: ((wc: unknown, permission: string) => boolean) | null = null;
  const state = { pickedFolder: null as string | null };

  class BrowserWindow extends Emitter implements FakeBrowserWindowLike {
    readonly webContents = new FakeWebContents();
    constructor(readonly options: FakeBrowserWindowLike['options']) {
      super();
      windows.push(this);
      app.emit('web-contents-created', navigationEvent(), this.webContents);
      this.webContents.once('destroyed', () => {
        this.emit('closed');
        if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed', navigationEvent());
      });
    }
    static getAllWindows(): BrowserWindow[] {
      return windows.filter((w) => !w.isDestroyed()) as BrowserWindow[];
    }
    async loadURL(url: string): Promise<void> {
      this.webContents.url = url;
      this.emit('ready-to-show');
    }
    show(): void {}
    isDestroyed(): boolean { return this.webContents.destroyed; }
    close(): void { this.webContents.destroy(); }
  }

  const electron = {
    app: {
      whenReady: async () => {},
      on: (event: string, listener: Listener) => app.on(event, listener),
      quit: () => { quits++; },
      exit: () => {},
      getPath: () => '/nonexistent',
      enableSandbox: () => { sandbox = true; },
      isPackaged: false,
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => { handlers.set(channel, fn); } },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => { schemes.push(...s); },
      handle: (_scheme: string, fn: (request: Request) => Response | Promise<Response>) => { protocolHandler = fn; },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof requestHandler) => { requestHandler = h; },
        setPermissionCheckHandler: (h: typeof checkHandler) => { checkHandler = h; },
      },
    },
    dialog: { showOpenDialog: async () => (state.pickedFolder ? { canceled: false, filePaths: [state.pickedFolder] } : { canceled: true, filePaths: [] }) },
    utilityProcess: {
      fork(modulePath: string, args: string[] = []) {
        const worker = new Worker(join(projectRoot, 'test', 'electron', 'utility-boot.mjs'), {
          workerData: { modulePath, entry: pathToFileURL(modulePath).href, args },
          stdout: false, stderr: false,
        });
        workers.push(worker);
        workerExits.push(new Promise((resolve) => worker.once('exit', resolve)));
        const child = new Emitter();
        worker.on('message', (m) => child.emit('message', m));
        worker.on('exit', (code) => child.emit('exit', code));
        worker.on('error', (err) => child.emit('error', err));
        return Object.assign(child, {
          pid: worker.threadId,
          postMessage: (m: unknown) => worker.postMessage(m),
          kill: () => { void worker.terminate(); return true; },
        });
      },
    },
  };

  return {
    electron: electron as unknown as DesktopElectron,
    windows, handlers, schemes, workers, workerExits,
    sandboxEnabled: () => sandbox,
    protocolHandler: () => protocolHandler,
    permissionRequest(permission) {
      let granted = true;
      requestHandler?.(null, permission, (g) => { granted = g; });
      return requestHandler ? granted : true;
    },
    permissionCheck: (permission) => (checkHandler ? checkHandler(null, permission) : true),
    appEmit: (event, ...args) => app.emit(event, ...args),
    quitCalls: () => quits,
    get pickedFolder() { return state.pickedFolder; },
    set pickedFolder(v) { state.pickedFolder = v; },
  };
}

/**
 * Runs the real preload (electron/preload/index.ts, compiled as tsc compiles it) for one window, in a fresh V8
 * context whose `require` knows only 'electron' — what a sandboxed preload gets — and returns what it exposed.
 * `frameUrl` is the page the renderer shows (main checks it on every call).
 */
export function runPreload(fake: FakeElectron, contents: FakeWebContents, frameUrl: string): { exposed: Record<string, unknown>; bridge: LocalRagBridge } {
  const source = readFileSync(join(projectRoot, 'electron', 'preload', 'index.ts'), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exposed: Record<string, unknown> = {};
  const ipcRenderer = {
    async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      const handler = fake.handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const result = await handler({ sender: contents, senderFrame: { url: frameUrl } }, ...structuredClone(args));
      return structuredClone(result);
    },
    on(channel: string, listener: Listener) {
      const set = contents.rendererListeners.get(channel) ?? new Set();
      set.add(listener);
      contents.rendererListeners.set(channel, set);
    },
    removeListener(channel: string, listener: Listener) {
      contents.rendererListeners.get(channel)?.delete(listener);
    },
  };
  const electronForPreload = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => { exposed[key] = api; } }, ipcRenderer };
  const sandboxRequire = (id: string) => {
    if (id === 'electron') return electronForPreload;
    throw new Error(`module not found: ${id} (a sandboxed preload can only require 'electron')`);
  };
  const module = { exports: {} as Record<string, unknown> };
  const context = createContext({ require: sandboxRequire, module, exports: module.exports });
  runInContext(js, context, { filename: 'preload/index.js' });
  return { exposed, bridge: exposed.localrag as LocalRagBridge };
}
