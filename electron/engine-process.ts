// The engine in Electron's utility process: SQLite, ONNX and the LLM run here, so the main (UI) process never
// blocks. Main has already validated every request; this side only runs it and reports replies and events.
import type { ApiMethod } from '../core/contract/api.js';
import { createEngine } from '../core/engine.js';
import { toAppError } from '../core/serve/app-error.js';
import type { EngineProcessConfig, FromEngine, ToEngine } from './engine-protocol.js';

interface ParentPort {
  postMessage(message: FromEngine): void;
  on(event: 'message', listener: (e: { data: ToEngine }) => void): void;
}

const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!port) throw new Error('engine-process must run in an Electron utility process');
const parent: ParentPort = port;
const config = JSON.parse(process.argv[2] ?? '{}') as EngineProcessConfig;

async function main(): Promise<void> {
  const engine = await createEngine({ storeDir: config.storeDir, modelsDir: config.modelsDir, watch: true });
  engine.subscribe((event, payload) => parent.postMessage({ type: 'event', event, payload }));
  parent.on('message', ({ data }) => {
    if (data.type === 'close') {
      void engine.close().finally(() => process.exit(0));
      return;
    }
    const fn = engine[data.method as ApiMethod] as (req: unknown) => Promise<unknown>;
    fn.call(engine, data.req).then(
      (result) => parent.postMessage({ type: 'reply', id: data.id, reply: { ok: true, result } }),
      (err: unknown) => parent.postMessage({ type: 'reply', id: data.id, reply: { ok: false, error: toAppError(err) } }),
    );
  });
  parent.postMessage({ type: 'ready' });
}

main().catch((err: unknown) => {
  parent.postMessage({ type: 'fatal', message: toAppError(err).message });
  process.exit(1);
});
