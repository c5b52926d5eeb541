// The part of Electron's API this app uses. The electron package (binary + its own types) is an optional
// dependency that cannot be installed everywhere; declaring the subset here keeps `npm run typecheck` and
// `npm run build:node` working without it. Signatures follow Electron 38's electron.d.ts.
declare module 'electron' {
  interface Event { preventDefault(): void; }
  interface WebContents {
    id: number;
    send(channel: string, ...args: unknown[]): void;
    on(event: 'will-navigate' | 'will-redirect', listener: (event: Event, url: string) => void): this;
    on(event: 'will-attach-webview', listener: (event: Event) => void): this;
    once(event: 'destroyed', listener: () => void): this;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
    getURL(): string;
    isDestroyed(): boolean;
  }
  interface WebPreferences {
    preload?: string;
    contextIsolation?: boolean;
    nodeIntegration?: boolean;
    nodeIntegrationInWorker?: boolean;
    nodeIntegrationInSubFrames?: boolean;
    sandbox?: boolean;
    webSecurity?: boolean;
    allowRunningInsecureContent?: boolean;
    webviewTag?: boolean;
    experimentalFeatures?: boolean;
    navigateOnDragDrop?: boolean;
    spellcheck?: boolean;
  }
  interface BrowserWindowConstructorOptions {
    width?: number; height?: number; minWidth?: number; minHeight?: number; show?: boolean; title?: string;
    backgroundColor?: string; autoHideMenuBar?: boolean;
    webPreferences?: WebPreferences;
  }
  class BrowserWindow {
    constructor(options?: BrowserWindowConstructorOptions);
    webContents: WebContents;
    loadURL(url: string): Promise<void>;
    once(event: 'ready-to-show', listener: () => void): this;
    on(event: 'closed', listener: () => void): this;
    show(): void;
    isDestroyed(): boolean;
    static getAllWindows(): BrowserWindow[];
  }
  interface IpcMainInvokeEvent { sender: WebContents; senderFrame: { url: string } | null; }
  const ipcMain: { handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void };
  interface IpcRendererEvent { sender: unknown; }
  const ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): void;
    removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): void;
  };
  const contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  const app: {
    whenReady(): Promise<void>;
    on(event: 'window-all-closed' | 'before-quit' | 'activate', listener: (event: Event) => void): void;
    on(event: 'web-contents-created', listener: (event: Event, contents: WebContents) => void): void;
    quit(): void;
    exit(code?: number): void;
    getPath(name: 'userData' | 'home' | 'documents'): string;
    enableSandbox(): void;
    isPackaged: boolean;
  };
  const dialog: {
    showOpenDialog(window: BrowserWindow, options: { properties: ('openDirectory' | 'createDirectory')[]; title?: string }): Promise<{ canceled: boolean; filePaths: string[] }>;
  };
  interface CustomScheme { scheme: string; privileges?: { standard?: boolean; secure?: boolean; supportFetchAPI?: boolean; corsEnabled?: boolean; stream?: boolean } }
  const protocol: {
    registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  interface Session {
    setPermissionRequestHandler(handler: ((wc: WebContents, permission: string, callback: (granted: boolean) => void) => void) | null): void;
    setPermissionCheckHandler(handler: ((wc: WebContents | null, permission: string) => boolean) | null): void;
  }
  const session: { defaultSession: Session };
  interface UtilityProcess {
    pid: number | undefined;
    postMessage(message: unknown): void;
    on(event: 'message', listener: (message: unknown) => void): this;
    on(event: 'exit', listener: (code: number) => void): this;
    off(event: 'message', listener: (message: unknown) => void): this;
    kill(): boolean;
  }
  const utilityProcess: {
    fork(modulePath: string, args?: string[], options?: { env?: Record<string, string | undefined>; serviceName?: string; stdio?: 'inherit' | 'pipe' }): UtilityProcess;
  };
}
