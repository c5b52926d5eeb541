// Serve mode over real HTTP on 127.0.0.1 with the real engine: the token gate, loopback binding, DNS-rebinding
// refusal, request validation, engine errors as AppError with a status, SSE events, and the static files' CSP.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createEngine } from '../../core/engine.js';
import type { EngineApi } from '../../core/contract/api.js';
import { startServer, type RunningServer } from '../../core/serve/server.js';
import { cspHeader } from '../../core/serve/csp.js';
import { TINY_MODELS, tinyModels } from '../support/models.js';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function raw(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('serve mode server', () => {
  let engine: EngineApi;
  let server: RunningServer;
  let docs: string;
  let dir: string;
  const call = (method: string, payload: unknown, token = server.token) =>
    raw(server.port, 'POST', `/api/${method}`, { 'Content-Type': 'application/json', 'X-LocalRAG-Token': token }, JSON.stringify(payload));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'localrag-serve-'));
    const { modelsDir } = await tinyModels();
    engine = await createEngine({ storeDir: join(dir, 'store'), modelsDir });
    await engine.updateSettings(TINY_MODELS);
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title><div id="root"></div>');
    docs = join(dir, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'wings.md'), '# Wings\n\nThe boundary layer on a swept wing thickens towards the tip.\n');
    server = await startServer({ engine, staticDir });
  });
  after(async () => {
    await server?.close();
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the printed URL is on 127.0.0.1 and carries the token', () => {
    const url = new URL(server.url);
    assert.equal(url.hostname, '127.0.0.1');
    assert.equal(url.searchParams.get('token'), server.token);
    assert.ok(server.token.length >= 32, 'token is long and random');
  });

  test('API calls without the token or with a wrong one are refused with 401', async () => {
    const none = await raw(server.port, 'POST', '/api/getStatus', { 'Content-Type': 'application/json' }, '{}');
    assert.equal(none.status, 401);
    assert.equal(JSON.parse(none.body).error.code, 'unauthorized');
    const wrong = await call('getStatus', {}, 'x'.repeat(server.token.length));
    assert.equal(wrong.status, 401);
    const events = await raw(server.port, 'GET', '/api/events?token=nope');
    assert.equal(events.status, 401);
  });

  test('with the token (header, bearer or query) the engine answers', async () => {
    const viaHeader = await call('getStatus', {});
    assert.equal(viaHeader.status, 200);
    assert.ok(Array.isArray(JSON.parse(viaHeader.body).folders));
    const viaBearer = await raw(server.port, 'POST', '/api/getSettings', { Authorization: `Bearer ${server.token}` }, '{}');
    assert.equal(JSON.parse(viaBearer.body).embedderModel, TINY_MODELS.embedderModel);
    const viaQuery = await raw(server.port, 'POST', `/api/getSettings?token=${server.token}`, {}, '');
    assert.equal(viaQuery.status, 200);
  });

  test('it listens on loopback only', async (t) => {
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return t.skip('this machine has no non-loopback IPv4 address to try');
    const outcome = await new Promise<string>((resolve) => {
      const s = connect({ host: external.address, port: server.port });
      s.once('connect', () => { s.destroy(); resolve('connected'); });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    assert.equal(outcome, 'ECONNREFUSED');
  });

  test('a request addressed to another host name (DNS rebinding) is refused', async () => {
    const r = await raw(server.port, 'POST', '/api/getStatus', { Host: `evil.example:${server.port}`, 'X-LocalRAG-Token': server.token }, '{}');
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.body).error.code, 'invalid-host');
  });

  test('invalid payloads are refused before the engine, naming the field', async () => {
    const bad = await call('search', { question: 42 });
    assert.equal(bad.status, 400);
    const error = JSON.parse(bad.body).error;
    assert.equal(error.code, 'invalid-request');
    assert.match(error.message, /question/);
    const extra = await call('getPassage', { chunkId: 1, sql: 'drop table' });
    assert.equal(extra.status, 400);
    const alpha = await call('updateSettings', { alpha: 3 });
    assert.equal(alpha.status, 400);
    assert.match(JSON.parse(alpha.body).error.message, /^Alpha \(weight of the cross-encoder\) must be a number from 0 to 1 \(got 3\)/);
    const notJson = await raw(server.port, 'POST', '/api/getStatus', { 'X-LocalRAG-Token': server.token }, '{nope');
    assert.equal(notJson.status, 400);
    assert.equal(JSON.parse(notJson.body).error.code, 'bad-json');
    const unknown = await call('dropEverything', {});
    assert.equal(unknown.status, 404);
    const get = await raw(server.port, 'GET', '/api/getStatus', { 'X-LocalRAG-Token': server.token });
    assert.equal(get.status, 400);
  });

  test("the engine's own validation message comes back as an AppError", async () => {
    const r = await call('updateSettings', { chunkTokens: 64, chunkOverlap: 40 });
    assert.equal(r.status, 400);
    const error = JSON.parse(r.body).error;
    assert.match(error.message, /Chunk overlap \(tokens\) must be less than half of the chunk size/);
    const settings = JSON.parse((await call('getSettings', {})).body);
    assert.notEqual(settings.chunkOverlap, 40, 'the invalid change was not applied');
  });

  test('events arrive over SSE by their contract names', async () => {
    const received: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` }, (res) => {
        assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          received.push(chunk);
          if (/event: onIndexProgress\ndata: \{[^\n]*"phase":"done"/.test(received.join(''))) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (e) => (received.join('').includes('"phase":"done"') ? resolve() : reject(e)));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    const added = await call('addFolder', { path: docs });
    assert.equal(added.status, 200, added.body);
    await done;
    assert.match(received.join(''), /event: onIndexProgress\ndata: /);
  });

  test('the interface files carry the strict CSP; paths cannot escape the static folder', async () => {
    const page = await raw(server.port, 'GET', '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-security-policy'], cspHeader());
    assert.match(cspHeader(), /script-src 'self'/);
    assert.doesNotMatch(cspHeader(), /unsafe-(inline|eval)/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    const escape = await raw(server.port, 'GET', '/%2e%2e/%2e%2e/package.json');
    assert.doesNotMatch(escape.body, /"name"/);
    assert.match(escape.body, /<div id="root">/, 'unknown paths fall back to the app page');
  });
});
