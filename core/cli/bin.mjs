#!/usr/bin/env node
// The `localrag` command: from a checkout it runs the TypeScript sources through tsx (never a stale build);
// a packaged app without sources runs the compiled JavaScript.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('./main.ts', import.meta.url));
if (existsSync(source)) {
  const { registerTsx } = await import('../host/register-tsx.mjs');
  await registerTsx();
  await import(pathToFileURL(source).href);
} else {
  await import(new URL('../../dist/core/cli/main.js', import.meta.url).href);
}
