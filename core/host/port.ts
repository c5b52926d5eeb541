// One MessagePort-like interface for every channel the engine host runs over, and the adapters that fit each real
// channel to it: Node's worker_threads (MessagePort, Worker, parentPort), Electron's utility process (its
// parentPort inside, the UtilityProcess handle in main). Messages are structured-cloned by every one of them.
import type { MessagePort as NodeMessagePort, Worker } from 'node:worker_threads';

export interface MessagePortLike {
  postMessage(message: unknown): void;
  /** Returns the function that removes the listener. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** The other side is gone (closed port, exited process or thread); called once. */
  onClose(listener: () => void): void;
  close(): void;
}

/** A port of Node's MessageChannel (tests, the in-thread host) or a worker's parentPort. */
export function fromNodePort(port: NodeMessagePort): MessagePortLike {
  return {
    postMessage: (m) => port.postMessage(m),
    onMessage(listener) {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
    onClose: (listener) => { port.once('close', listener); },
    close: () => port.close(),
  };
}

/** The parent's end of a worker thread. */
export function fromWorker(worker: Worker): MessagePortLike {
  return {
    postMessage: (m) => worker.postMessage(m),
    onMessage(listener) {
      worker.on('message', listener);
      return () => worker.off('message', listener);
    },
    onClose: (listener) => { worker.once('exit', () => listener()); },
    close: () => { void worker.terminate(); },
  };
}

/** Electron's `process.parentPort` inside a utility process: messages arrive as `{ data }` events. */
export interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  off?(event: 'message', listener: (e: { data: unknown }) => void): unknown;
}

export function fromParentPort(port: ElectronParentPort, exit: () => void = () => process.exit(0)): MessagePortLike {
  return {
    postMessage: (m) => port.postMessage(m),
    onMessage(listener) {
      const l = (e: { data: unknown }) => listener(e.data);
      port.on('message', l);
      return () => port.off?.('message', l);
    },
    // The parent going away ends a utility process; nothing to observe from inside.
    onClose: () => {},
    close: exit,
  };
}

/** Electron main's handle on a utility process (`utilityProcess.fork`). */
export interface ElectronUtilityProcess {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  off?(event: 'message', listener: (message: unknown) => void): unknown;
  kill(): boolean;
}

export function fromUtilityProcess(child: ElectronUtilityProcess): MessagePortLike {
  return {
    postMessage: (m) => child.postMessage(m),
    onMessage(listener) {
      child.on('message', listener);
      return () => child.off?.('message', listener);
    },
    onClose: (listener) => { child.on('exit', () => listener()); },
    close: () => { child.kill(); },
  };
}
