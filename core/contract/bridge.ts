// What Electron's preload exposes to the renderer as `window.localrag` (types only: the preload is sandboxed and
// cannot load other files at run time). Calls come back as a reply envelope so the AppError survives IPC intact.
import type { ApiMethod, AppError, EventName } from './api.js';

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: AppError };

export interface LocalRagBridge {
  call(method: ApiMethod, req: unknown): Promise<IpcReply>;
  /** Returns the unsubscribe function. */
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  /** Native folder picker; null when the user cancels. */
  pickFolder(): Promise<string | null>;
}
