// The renderer bundle is web code only: no Node built-ins, no Electron, no inline script, and the CSP meta tag is
// the one policy from core/serve/csp.ts. (The same Vite config as `npm run build:renderer`.)
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cspMeta } from '../../core/serve/csp.js';
import { buildRenderer } from './build-renderer.js';

let out: { dir: string; remove(): void };
before(async () => {
  out = await buildRenderer();
});
after(() => out?.remove());

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

test('the bundle imports no Node built-in and no Electron module', () => {
  const js = files(out.dir).filter((f) => f.endsWith('.js'));
  assert.ok(js.length > 0, 'the build produced JavaScript');
  const names = [...builtinModules.filter((m) => !m.startsWith('_')), 'electron'].map((m) => m.replace(/[/]/g, '\\/'));
  const specifier = `(?:node:[\\w/]+|${names.join('|')})`;
  const patterns = [
    new RegExp(`require\\(\\s*["'\`]${specifier}["'\`]\\s*\\)`),
    new RegExp(`\\bfrom\\s*["'\`]${specifier}["'\`]`),
    new RegExp(`\\bimport\\(\\s*["'\`]${specifier}["'\`]\\s*\\)`),
    new RegExp(`\\bimport\\s*["'\`]${specifier}["'\`]`),
    /process\.binding\(/,
  ];
  for (const file of js) {
    const code = readFileSync(file, 'utf8');
    for (const p of patterns) assert.doesNotMatch(code, p, `${file} matches ${p}`);
  }
});

test('index.html has the CSP meta tag, relative asset paths and no inline script', () => {
  const html = readFileSync(join(out.dir, 'index.html'), 'utf8');
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
  assert.ok(meta, 'CSP meta tag present');
  assert.equal(meta[1], cspMeta());
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script has a src');
  assert.match(html, /src="\.\/assets\//, "base './' for app:// and serve mode");
  assert.doesNotMatch(html, /<style/);
});
