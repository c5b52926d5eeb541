// localrag serve: the built app on 127.0.0.1 only, behind a random access token. The engine runs in a worker
// thread behind the engine host, so the HTTP server answers at once even while the engine indexes or answers.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { superviseHost } from '../../host/supervisor.js';
import { startWorkerHost } from '../../host/worker.js';
import { startServer } from '../../serve/server.js';
import { EXIT, modelsDirOf, num, parse, printJson, storeDirOf } from '../args.js';
import { cliLog, commonOverrides } from '../open-engine.js';
import { COMMANDS } from '../usage.js';

/** A port that cannot be listened on, in words that say what to do. */
function listenError(err: unknown, port: number): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new Error(`port ${port} is in use; pick another with --port or omit it`);
  if (code === 'EACCES') return new Error(`port ${port} needs administrator rights; pick one above 1023 with --port or omit it`);
  return err as Error;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, COMMANDS.serve!.options, COMMANDS.serve);
  const port = num(values.port, 'port', { ok: (n) => Number.isInteger(n) && n >= 0 && n <= 65535, allowed: 'a whole number from 0 to 65535' }) ?? 0;
  const staticDir = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
  if (!existsSync(`${staticDir}/index.html`)) process.stderr.write('localrag: the app is not built (run `npm run build`); serving the API only\n');
  const overrides = commonOverrides(values);
  // An engine thread that dies is started again; the server and its open pages carry on (core/host/supervisor.ts).
  const host = superviseHost(() => startWorkerHost({
    storeDir: storeDirOf(values), modelsDir: modelsDirOf(values), overrides, watch: true,
    quiet: Boolean(values.quiet), verbose: Boolean(values.verbose), ollamaHostEnv: overrides.ollamaHost === undefined,
  }, cliLog(values)), { log: cliLog(values) });
  const failed = await host.ready;
  if (failed) throw Object.assign(new Error(failed.message), { appError: failed });
  const server = await startServer({ host, port, staticDir }).catch(async (err: unknown) => {
    await host.shutdown();
    throw listenError(err, port);
  });
  // --json: the address as one object, for scripts that start the server and then call it.
  if (values.json) printJson({ url: server.url, port: server.port, token: server.token });
  else console.log(`localrag is serving the app at ${server.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    host.onStop(() => resolve());
  });
  await server.close();
  await host.shutdown();
  return EXIT.ok;
}
