// Picks the transport by where the renderer runs: Electron's preload bridge if present, else serve mode's HTTP.
import type { ApiTransport } from '../../../core/contract/api.js';
import type { LocalRagBridge } from '../../../core/contract/bridge.js';
import { httpTransport, takeAccessToken } from './http-transport.js';
import { ipcTransport } from './ipc-transport.js';

declare global {
  interface Window {
    localrag?: LocalRagBridge;
  }
}

export interface HostTransport {
  api: ApiTransport;
  kind: 'electron' | 'http';
  /** Native folder picker, Electron only. */
  pickFolder?: () => Promise<string | null>;
}

export function pickTransport(): HostTransport {
  const bridge = window.localrag;
  if (bridge) return { api: ipcTransport(bridge), kind: 'electron', pickFolder: () => bridge.pickFolder() };
  return { api: httpTransport(takeAccessToken()), kind: 'http' };
}
