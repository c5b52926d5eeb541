// The engine's side of a channel: opens the engine, says 'ready' (or 'fatal' with the reason), hands every
// message to the dispatch, and on 'shutdown' cancels everything before it closes the engine. The same code runs
// in Electron's utility process, in serve mode's worker thread and in-thread for tests.
import type { AppError } from '../contract/api.js';
import { toAppError } from './app-error.js';
import { createDispatch, type EngineService } from './dispatch.js';
import type { MessagePortLike } from './port.js';
import type { FromHost } from './protocol.js';

export interface HostedEngine {
  /** Resolves when the engine has closed (after 'shutdown' or the channel closing), or could not open. */
  stopped: Promise<'closed' | 'failed'>;
}

export function hostEngine(port: MessagePortLike, open: () => Promise<EngineService>, log: (line: string) => void = () => {}): HostedEngine {
  const send = (m: FromHost) => {
    try {
      port.postMessage(m);
    } catch {
      // The client is gone; nothing is waiting for this message.
    }
  };
  let markStopped: (how: 'closed' | 'failed') => void = () => {};
  const stopped = new Promise<'closed' | 'failed'>((resolve) => (markStopped = resolve));
  // Messages that arrive while the engine opens wait for it (a client normally waits for 'ready').
  const early: unknown[] = [];
  let receive: (m: unknown) => void = (m) => early.push(m);
  let shutdown: () => Promise<void> = async () => {};
  let stopping: Promise<void> | null = null;

  const opened = open().then(
    (engine) => {
      const dispatch = createDispatch(engine, send, log);
      shutdown = async () => {
        dispatch.cancelAll();
        dispatch.dispose();
        await engine.close().catch((err: unknown) => log(`engine close failed: ${toAppError(err).message}`));
      };
      if (stopping) return;
      receive = (m) => dispatch.receive(m);
      send({ type: 'ready' });
      for (const m of early.splice(0)) dispatch.receive(m);
    },
    (err: unknown) => {
      const error: AppError = engineFailed(err);
      log(`engine could not start: ${error.message}`);
      send({ type: 'fatal', error });
      markStopped('failed');
    },
  );

  /** Cancels what runs, closes the engine (once it has opened), then says 'stopped'. */
  const stop = () => {
    stopping ??= opened.then(() => shutdown()).then(() => {
      send({ type: 'stopped' });
      markStopped('closed');
      // Nothing more will be answered: the client sees the channel close (a process also exits).
      port.close();
    });
    return stopping;
  };

  port.onMessage((m) => {
    if (m && typeof m === 'object' && (m as { type?: unknown }).type === 'shutdown') void stop();
    else receive(m);
  });
  port.onClose(() => void stop());
  return { stopped };
}

export function engineFailed(err: unknown): AppError {
  const cause = toAppError(err);
  return {
    code: 'engine-failed',
    message: `The engine could not start: ${cause.message}`,
    action: cause.action ?? 'Check the data folder and the models, then restart the app.',
    params: { reason: cause.message },
  };
}
