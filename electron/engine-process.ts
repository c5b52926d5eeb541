// The engine in Electron's utility process: SQLite, ONNX and the LLM run here, so the main (UI) process never
// blocks. The engine host's dispatch validates every request, maps errors and routes events; main only relays.
import { createEngine } from '../core/engine.js';
import { hostEngine } from '../core/host/engine-host.js';
import { fromParentPort, type ElectronParentPort } from '../core/host/port.js';
import type { EngineProcessConfig } from './engine-client.js';

const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
if (!parentPort) throw new Error('engine-process must run in an Electron utility process');
// Electron passes fork()'s args in process.argv; where they start differs between versions, so find the JSON.
const config = JSON.parse(process.argv.find((a) => a.startsWith('{')) ?? '{}') as EngineProcessConfig;
const log = (line: string) => process.stderr.write(`${line}\n`);

const hosted = hostEngine(fromParentPort(parentPort), () => createEngine({ storeDir: config.storeDir, modelsDir: config.modelsDir, watch: true, log }), log);
void hosted.stopped.then((how) => process.exit(how === 'failed' ? 1 : 0));
