// localrag serve: the engine and the built app on 127.0.0.1 only, behind a random access token.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT, num, parse } from '../args.js';
import { openEngine } from '../open-engine.js';
import { startServer } from '../../serve/server.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' } });
  const staticDir = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
  if (!existsSync(`${staticDir}/index.html`)) process.stderr.write('localrag: the app is not built (run `npm run build`); serving the API only\n');
  const engine = await openEngine(values, {}, { watch: true });
  const server = await startServer({ engine, port: num(values.port, 'port') ?? 0, staticDir });
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
