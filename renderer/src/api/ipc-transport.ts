// Electron transport: everything goes through the preload's `window.localrag`; the main process validates it.
import type { ApiTransport, EventName, LocalRagEvents } from '../../../core/contract/api.js';
import type { LocalRagBridge } from '../../../core/contract/bridge.js';
import { ApiError } from './api-error.js';

export function ipcTransport(bridge: LocalRagBridge): ApiTransport {
  return {
    async call(method, req) {
      const reply = await bridge.call(method, req);
      if (!reply.ok) throw new ApiError(reply.error);
      return reply.result as never;
    },
    on<E extends EventName>(event: E, listener: (payload: LocalRagEvents[E]) => void) {
      return bridge.on(event, (payload) => listener(payload as LocalRagEvents[E]));
    },
  };
}
