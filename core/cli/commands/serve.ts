// localrag serve: the engine and the built app on 127.0.0.1 only, behind a random access token.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT, num, parse } from '../args.js';
import { openEngine } from '../open-engine.js';
import { COMMANDS } from '../usage.js';
import { startServer } from '../../serve/server.js';

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
  const engine = await openEngine(values, {}, { watch: true });
  const server = await startServer({ engine, port, staticDir }).catch(async (err: unknown) => {
    await engine.close();
    throw listenError(err, port);
  });
  console.log(`localrag is serving the app at ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await engine.close();
  return EXIT.ok;
}
