// Builds the renderer to dist/renderer with relative paths (loaded from app:// in Electron and / in serve mode).
// JSX is compiled by Vite 8's built-in Oxc transform (automatic runtime): no React plugin needed.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { cspMeta } from '../core/serve/csp.js';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // One stylesheet file, no inline <style>: the CSP allows styles from 'self' only.
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
  },
  plugins: [{
    name: 'localrag-csp',
    transformIndexHtml: (html) => html.replace('content="%CSP%"', `content="${cspMeta()}"`),
  }],
});
