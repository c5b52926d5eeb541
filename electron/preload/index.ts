// Preload: exposes exactly three functions to the page as `window.localrag`. It runs sandboxed, where Electron
// evaluates it as a CommonJS-style script whose `require` knows only 'electron' (hence this folder's
// package.json: tsc emits CommonJS here). So it loads no other file: the channel strings mirror
// electron/ipc-channels.ts (test/electron/security.test.ts checks they match). Method and event names pass
// through as arguments; main validates them against the contract.
import { contextBridge, ipcRenderer } from 'electron';
import type { LocalRagBridge as Bridge } from '../../core/contract/bridge.js';

const CALL = 'localrag:call';
const EVENT = 'localrag:event';
const PICK_FOLDER = 'localrag:pick-folder';

const bridge: Bridge = {
  call: (method, req) => ipcRenderer.invoke(CALL, method, req) as ReturnType<Bridge['call']>,
  on(event, listener) {
    const handler = (_e: unknown, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT, handler);
    return () => ipcRenderer.removeListener(EVENT, handler);
  },
  pickFolder: () => ipcRenderer.invoke(PICK_FOLDER) as Promise<string | null>,
};

contextBridge.exposeInMainWorld('localrag', bridge);
