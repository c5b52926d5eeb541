// The engine contract over serve mode exactly as `localrag serve` runs it: the engine in a worker thread behind
// the engine host, the HTTP server relaying, and the renderer's own HTTP transport (fetch + EventSource) per tab.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorkerHost } from '../../core/host/worker.js';
import { startServer } from '../../core/serve/server.js';
import { httpTransport } from '../../renderer/src/api/http-transport.js';
import { contractSuite } from '../host/contract-suite.js';
import { installEventSource, NodeEventSource } from '../support/event-source.js';
import { testModelsDir, tinyModels } from '../support/models.js';
import { tempDir } from '../support/temp.js';

installEventSource();

contractSuite('browser tab (HTTP + SSE, engine in a worker thread)', async (storeDir) => {
  await tinyModels();
  const host = startWorkerHost({ storeDir, modelsDir: testModelsDir, quiet: true });
  const staticDir = join(tempDir('localrag-static-'), 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
  const server = await startServer({ host, staticDir });
  const base = `http://127.0.0.1:${server.port}`;
  return {
    async client() {
      const clientId = randomUUID();
      const api = httpTransport(server.token, base, clientId);
      // A tab subscribes when it loads; its event stream is open before it asks anything.
      api.on('onIndexProgress', () => {});
      const source = NodeEventSource.made.find((s) => s.url.includes(clientId))!;
      await source.opened;
      return { api, close: async () => source.close() };
    },
    async teardown() {
      await server.close();
      await host.shutdown();
    },
  };
});
