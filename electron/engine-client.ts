// Main's handle on the engine's utility process: numbered calls with replies, events fanned out to the window.
import { utilityProcess, type UtilityProcess } from 'electron';
import type { ApiMethod, AppError, EventName } from '../core/contract/api.js';
import type { IpcReply } from '../core/contract/bridge.js';
import type { EngineProcessConfig, FromEngine, ToEngine } from './engine-protocol.js';

export interface EngineClient {
  call(method: ApiMethod, req: unknown): Promise<IpcReply>;
  onEvent(listener: (event: EventName, payload: unknown) => void): void;
  close(): Promise<void>;
}

export function startEngineProcess(modulePath: string, config: EngineProcessConfig): EngineClient {
  const child: UtilityProcess = utilityProcess.fork(modulePath, [JSON.stringify(config)], { serviceName: 'LocalRAG engine', stdio: 'inherit' });
  const pending = new Map<number, (reply: IpcReply) => void>();
  const listeners: ((event: EventName, payload: unknown) => void)[] = [];
  let nextId = 1;
  let stopped: AppError | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const stop = (error: AppError) => {
    stopped = error;
    markReady();
    for (const resolve of pending.values()) resolve({ ok: false, error });
    pending.clear();
  };

  child.on('message', (raw) => {
    const msg = raw as FromEngine;
    if (msg.type === 'ready') markReady();
    else if (msg.type === 'fatal') stop({ code: 'engine-failed', message: `The engine could not start: ${msg.message}`, action: 'Check the data folder and models, then restart the app.' });
    else if (msg.type === 'reply') {
      pending.get(msg.id)?.(msg.reply);
      pending.delete(msg.id);
    } else if (msg.type === 'event') for (const l of listeners) l(msg.event, msg.payload);
  });
  child.on('exit', (code) => {
    if (!stopped) stop({ code: 'engine-stopped', message: `The engine process stopped (exit code ${code}).`, action: 'Restart the app.' });
  });

  const send = (msg: ToEngine) => child.postMessage(msg);
  return {
    async call(method, req) {
      await ready;
      if (stopped) return { ok: false, error: stopped };
      const id = nextId++;
      return new Promise<IpcReply>((resolve) => {
        pending.set(id, resolve);
        send({ type: 'call', id, method, req });
      });
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    async close() {
      if (stopped) return;
      send({ type: 'close' });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { child.kill(); resolve(); }, 5000);
        child.on('exit', () => { clearTimeout(timer); resolve(); });
      });
    },
  };
}
