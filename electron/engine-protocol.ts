// Messages between Electron's main process and the engine's utility process.
import type { ApiMethod, EventName } from '../core/contract/api.js';
import type { IpcReply } from '../core/contract/bridge.js';

export type ToEngine =
  | { type: 'call'; id: number; method: ApiMethod; req: unknown }
  | { type: 'close' };

export type FromEngine =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'reply'; id: number; reply: IpcReply }
  | { type: 'event'; event: EventName; payload: unknown };

/** What main passes the utility process on start (as argv JSON). */
export interface EngineProcessConfig {
  storeDir: string;
  modelsDir: string;
}
