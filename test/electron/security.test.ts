// The desktop window's security, checked on the exported configuration (runs without Electron), plus a launch
// of the real app when the Electron binary is installed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { API_METHODS, EVENT_NAMES } from '../../core/contract/api.js';
import { REQUEST_SCHEMAS, validateRequest } from '../../core/contract/validate.js';
import { IPC_CHANNELS } from '../../electron/ipc-channels.js';
import {
  APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, isAllowedNavigation, isPermissionGranted, isTrustedSender, RENDERER_CSP,
  RENDERER_HEADERS, SECURE_WEB_PREFERENCES, WINDOW_OPEN_DECISION, windowOptions,
} from '../../electron/security.js';
import { projectRoot } from '../support/temp.js';

test('the window is isolated, sandboxed and has no Node', () => {
  const opts = windowOptions('/app/preload/index.js');
  const prefs = opts.webPreferences;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.preload, '/app/preload/index.js');
  assert.deepEqual({ ...SECURE_WEB_PREFERENCES }, Object.fromEntries(Object.entries(prefs).filter(([k]) => k in SECURE_WEB_PREFERENCES)));
});

test('the renderer CSP allows only its own scripts and no inline code or eval', () => {
  assert.equal(RENDERER_HEADERS['Content-Security-Policy'], RENDERER_CSP);
  const directives = Object.fromEntries(RENDERER_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
  assert.equal(directives['default-src'], "'none'");
  assert.equal(directives['script-src'], "'self'");
  assert.equal(directives['object-src'], "'none'");
  assert.equal(directives['frame-ancestors'], "'none'");
  assert.doesNotMatch(RENDERER_CSP, /unsafe-inline|unsafe-eval|\*|https?:/);
  assert.equal(APP_SCHEME_PRIVILEGES.secure, true);
  assert.equal('corsEnabled' in APP_SCHEME_PRIVILEGES, false);
});

test('navigation away from the app, new windows and permissions are refused', () => {
  assert.equal(isAllowedNavigation(APP_ENTRY_URL), true);
  assert.equal(isAllowedNavigation('app://localrag/assets/index.js'), true);
  for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)', 'http://127.0.0.1:1234/', 'not a url']) {
    assert.equal(isAllowedNavigation(url), false, url);
    assert.equal(isTrustedSender(url), false, url);
  }
  assert.equal(isTrustedSender(null), false);
  assert.deepEqual(WINDOW_OPEN_DECISION, { action: 'deny' });
  for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) assert.equal(isPermissionGranted(p), false, p);
});

test('main refuses IPC payloads that do not match the contract', () => {
  assert.throws(() => validateRequest('runShell', { cmd: 'rm -rf /' }), /no API method/);
  assert.throws(() => validateRequest('addFolder', { path: 7 }), /add the folder.*folder path/);
  assert.throws(() => validateRequest('ask', { requestId: 'r', question: '', extra: 1 }), /question/);
  assert.deepEqual(validateRequest('addFolder', { path: '/docs' }), { path: '/docs' });
  assert.deepEqual(validateRequest('updateSettings', { alpha: 0.2 }), { alpha: 0.2 }, 'a partial change is not filled with defaults');
  assert.deepEqual(Object.keys(REQUEST_SCHEMAS).sort(), [...API_METHODS].sort(), 'every method has a schema');
});

test('the preload exposes only call/on/pickFolder, on the channels main listens to', () => {
  const source = readFileSync(join(projectRoot, 'electron', 'preload', 'index.ts'), 'utf8');
  for (const channel of Object.values(IPC_CHANNELS)) assert.ok(source.includes(`'${channel}'`), `preload uses ${channel}`);
  assert.match(source, /exposeInMainWorld\('localrag', bridge\)/);
  const keys = source.match(/const bridge: Bridge = \{([\s\S]*?)\n\};/)?.[1]?.match(/^\s{2}(\w+)[(:]/gm)?.map((k) => k.trim().replace(/[(:]$/, ''));
  assert.deepEqual(keys, ['call', 'on', 'pickFolder']);
  // No method or event name is typed in the preload: they come from the contract, checked in main.
  for (const name of [...API_METHODS, ...EVENT_NAMES]) assert.ok(!source.includes(`'${name}'`), `${name} not hard-coded`);
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'electron', 'preload', 'package.json'), 'utf8'));
  assert.equal(pkg.type, 'commonjs', 'sandboxed preloads must be CommonJS scripts');
});

test('the desktop app starts with the secure window and reaches the engine', async (t) => {
  let electronBin: string | null = null;
  try {
    const bin = createRequire(join(projectRoot, 'package.json'))('electron') as unknown;
    electronBin = typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    electronBin = null;
  }
  const mainJs = join(projectRoot, 'dist', 'electron', 'main.js');
  if (!electronBin) return t.skip('the Electron binary is not installed (optional dependency; cannot be downloaded here)');
  if (!existsSync(mainJs)) return t.skip('dist/ is not built: run npm run build first');
  const { _electron } = await import('playwright-core');
  const app = await _electron.launch({ executablePath: electronBin, args: [projectRoot], env: { ...process.env } as Record<string, string> });
  t.after(() => app.close());
  const page = await app.firstWindow();
  assert.equal(page.url(), APP_ENTRY_URL);
  assert.equal(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
  assert.equal(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process), 'undefined');
  assert.deepEqual(await page.evaluate(() => Object.keys((globalThis as unknown as { localrag: object }).localrag).sort()), ['call', 'on', 'pickFolder']);
  await page.getByRole('button', { name: 'Library' }).waitFor();
});
