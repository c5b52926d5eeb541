// The engine host in the caller's own thread, over Node's MessageChannel: the same protocol, dispatch and
// validation as the worker and Electron hosts, for tests and for callers that already hold an engine.
import { MessageChannel } from 'node:worker_threads';
import { createHostClient, type HostClient } from './client.js';
import type { EngineService } from './dispatch.js';
import { hostEngine } from './engine-host.js';
import { fromNodePort } from './port.js';

/** `owned: false` (the default) leaves the engine open on shutdown: its creator closes it. */
export function hostInThread(engine: EngineService, opts: { owned?: boolean; log?: (line: string) => void } = {}): HostClient {
  const { port1, port2 } = new MessageChannel();
  const served: EngineService = opts.owned ? engine : new Proxy(engine, {
    // Methods run on the engine itself (they set its fields); only close is withheld.
    get(target, prop) {
      if (prop === 'close') return async () => {};
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  hostEngine(fromNodePort(port1), async () => served, opts.log);
  return createHostClient(fromNodePort(port2), opts.log);
}
