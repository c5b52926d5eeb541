// localrag serve: the built app on 127.0.0.1 only, behind a random access token. The engine runs in a worker
// thread behind the engine host, so the HTTP server answers at once even while the engine indexes or answers.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Settings } from '../../contract/settings.js';
import { startWorkerHost } from '../../host/worker.js';
import { startServer } from '../../serve/server.js';
import { EXIT, modelsDirOf, num, parse, storeDirOf } from '../args.js';
import { settingsFromFlags } from '../open-engine.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' } });
  const staticDir = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
  if (!existsSync(`${staticDir}/index.html`)) process.stderr.write('localrag: the app is not built (run `npm run build`); serving the API only\n');
  const overrides: Partial<Settings> = settingsFromFlags(values);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const host = startWorkerHost({ storeDir: storeDirOf(values), modelsDir: modelsDirOf(values), overrides, watch: true, quiet: Boolean(values.quiet) }, log);
  const failed = await host.ready;
  if (failed) throw Object.assign(new Error(failed.message), { appError: failed });
  const server = await startServer({ host, port: num(values.port, 'port') ?? 0, staticDir });
  console.log(`localrag is serving the app at ${server.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    host.onStop(() => resolve());
  });
  await server.close();
  await host.shutdown();
  return EXIT.ok;
}
