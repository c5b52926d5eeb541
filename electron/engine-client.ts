// Main's handle on the engine's utility process: the engine host's client over Electron's process channel.
import type { utilityProcess as UtilityProcessApi } from 'electron';
import { createHostClient, type HostClient } from '../core/host/client.js';
import { fromUtilityProcess } from '../core/host/port.js';

/** What main passes the utility process on start (as argv JSON). */
export interface EngineProcessConfig {
  storeDir: string;
  modelsDir: string;
}

export function startEngineProcess(fork: typeof UtilityProcessApi.fork, modulePath: string, config: EngineProcessConfig, log: (line: string) => void): HostClient {
  const child = fork(modulePath, [JSON.stringify(config)], { serviceName: 'LocalRAG engine', stdio: 'inherit' });
  return createHostClient(fromUtilityProcess(child), log);
}
