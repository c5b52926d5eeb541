// Serves the built renderer (dist/renderer) read-only; paths are resolved inside the folder or refused.
import { createReadStream, realpathSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Resolves a URL path to a regular file inside root, or null when it escapes root (by `..`, or by a symlink that
 * points outside it) or does not exist.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^([/\\])+/, '');
  const base = resolve(root);
  const full = resolve(join(base, rel));
  if (!inside(base, full)) return null;
  try {
    // A symlink inside the folder may point anywhere: what counts is where the file really is.
    const real = realpathSync(full);
    if (!inside(realpathSync(base), real)) return null;
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

function inside(base: string, full: string): boolean {
  return full === base || full.startsWith(base.endsWith(sep) ? base : base + sep);
}

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function sendFile(res: ServerResponse, file: string, headers: Record<string, string>): void {
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeFor(file),
    // Built assets carry a content hash; index.html must always be fresh.
    'Cache-Control': file.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  createReadStream(file).pipe(res);
}

/** Shown instead of a blank page when the renderer has not been built. */
export function notBuiltPage(staticDir: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LocalRAG</title></head><body>
<h1>The app's interface is not built yet</h1>
<p>No index.html in ${escapeHtml(staticDir)}. Run <code>npm run build:renderer</code>, then reload this page.</p>
</body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
