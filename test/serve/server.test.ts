// Serve mode over real HTTP on 127.0.0.1 with the real engine: the token gate, loopback binding, DNS-rebinding
// refusal, request validation, engine errors as AppError with a status, SSE events, and the static files' CSP.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createEngine } from '../../core/engine.js';
import type { EngineApi } from '../../core/contract/api.js';
import { startServer, type RunningServer } from '../../core/serve/server.js';
import { cspHeader } from '../../core/serve/csp.js';
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama.js';
import { TINY_MODELS, tinyModels } from '../support/models.js';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function raw(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Reply> {
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

  /** An Ollama that stalls after one token, set as the LLM, with the docs indexed. */
  async function stallingOllama(): Promise<FakeOllama> {
    const fake = await startFakeOllama({ models: ['llama3.2:latest'] });
    fake.script = { kind: 'stall', after: 1 };
    assert.equal((await call('updateSettings', { llmBackend: 'ollama', ollamaHost: fake.url, ollamaModel: 'llama3.2:latest' })).status, 200);
    assert.equal((await call('reindex', { path: docs })).status, 200);
    return fake;
  }
  /** Waits (at most 20 s) until the LLM is asked; returns that deadline for later waits. */
  async function untilAsked(fake: FakeOllama): Promise<number> {
    const end = Date.now() + 20_000;
    while (fake.chatRequests().length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    return end;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'localrag-serve-'));
    const { modelsDir } = await tinyModels();
    engine = await createEngine({ storeDir: join(dir, 'store'), modelsDir });
    await engine.updateSettings(TINY_MODELS);
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title><div id="root"></div>');
    writeFileSync(join(dir, 'secret.txt'), 'SECRET outside the static folder');
    symlinkSync(join(dir, 'secret.txt'), join(staticDir, 'leak.txt'));
    symlinkSync(dir, join(staticDir, 'up'));
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
    assert.equal(get.status, 405);
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

  test('a symlink in the static folder that leads outside it is not followed', async () => {
    for (const path of ['/leak.txt', '/up/secret.txt']) {
      const r = await raw(server.port, 'GET', path);
      assert.doesNotMatch(r.body, /SECRET/, path);
      assert.match(r.body, /<div id="root">/, `${path} falls back to the app page`);
    }
  });

  test('a request from another origin is refused, even with the token', async () => {
    const headers = { 'Content-Type': 'application/json', 'X-LocalRAG-Token': server.token };
    for (const origin of ['https://evil.example', 'http://127.0.0.1:1', 'null']) {
      const r = await raw(server.port, 'POST', '/api/getStatus', { ...headers, Origin: origin }, '{}');
      assert.equal(r.status, 403, origin);
      assert.equal(JSON.parse(r.body).error.code, 'forbidden-origin');
    }
    assert.equal((await raw(server.port, 'GET', '/', { Origin: 'https://evil.example' })).status, 403);
    const same = await raw(server.port, 'POST', '/api/getStatus', { ...headers, Origin: `http://127.0.0.1:${server.port}` }, '{}');
    assert.equal(same.status, 200, 'the app itself still calls');
  });

  test("client errors answer 4xx, never 500", async () => {
    const headers = { 'Content-Type': 'application/json', 'X-LocalRAG-Token': server.token };
    const post = (path: string, body: string, extra: Record<string, string> = {}) => raw(server.port, 'POST', path, { ...headers, ...extra }, body);
    const cases: [string, Promise<Reply>][] = [
      ['array body', post('/api/getStatus', '[1,2]')],
      ['string body', post('/api/getStatus', '"x"')],
      ['__proto__ key', post('/api/getStatus', '{"__proto__": {"polluted": 1}}')],
      ['invalid UTF-8 body', raw(server.port, 'POST', '/api/getStatus', headers, Buffer.from([0xff, 0xfe, 0x7b]))],
      ['body over 1 MB', post('/api/search', JSON.stringify({ question: 'x'.repeat(1_100_000) }))],
      ['wrong HTTP method', raw(server.port, 'PUT', '/api/getStatus', headers, '{}')],
      ['POST to the event stream', post('/api/events', '{}')],
      ['method name that is no method', post('/api/%ZZ', '{}')],
      ['bad client id', post('/api/getStatus', '{}', { 'X-LocalRAG-Client': '../../etc' })],
      ['a file given as a folder', post('/api/addFolder', JSON.stringify({ path: join(docs, 'wings.md') }))],
      ['a folder that does not exist', post('/api/addFolder', JSON.stringify({ path: join(dir, 'nope') }))],
      ['an LLM imported as a model folder', post('/api/importModel', JSON.stringify({ role: 'llm', folder: dir }))],
      ['a model folder that does not exist', post('/api/importModel', JSON.stringify({ role: 'embedder', folder: join(dir, 'nope') }))],
      ['an unknown model to download', post('/api/downloadModel', JSON.stringify({ id: 'no-such-model' }))],
      ['a model id with a path in it', post('/api/downloadModel', JSON.stringify({ id: '../../etc' }))],
      ['a passage that does not exist', post('/api/getPassage', JSON.stringify({ chunkId: 987654321 }))],
      ['re-fusing a search never made', post('/api/refuse', JSON.stringify({ queryId: 'never', params: { alpha: 0.3 } }))],
      ['an unknown rerank mode', post('/api/search', JSON.stringify({ question: 'wing', params: { mode: 'bogus' } }))],
      ['settings that do not validate', post('/api/updateSettings', JSON.stringify({ chunkTokens: 'many' }))],
      ['a body nested 10,000 deep', post('/api/search', `{"question":"x","params":${'['.repeat(10_000)}${']'.repeat(10_000)}}`)],
      ['an object nested 10,000 deep', post('/api/updateSettings', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`)],
    ];
    for (const [what, pending] of cases) {
      const r = await pending;
      assert.ok(r.status >= 400 && r.status < 500, `${what}: ${r.status} ${r.body.slice(0, 200)}`);
      assert.equal(typeof JSON.parse(r.body).error.code, 'string', what);
    }
  });

  test('requests Node cannot parse, or without a Host header, get a 4xx with a JSON error', async () => {
    const send = (bytes: string) => new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: server.port }, () => socket.write(bytes));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => (text += c));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    const cases: [string, string, number, string][] = [
      ['no Host header', 'GET /api/getStatus HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'invalid-host'],
      ['not HTTP', 'GARBAGE\r\n\r\n', 400, 'bad-http-request'],
      ['a length that is no number', `POST /api/getStatus HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: abc\r\n\r\n`, 400, 'bad-http-request'],
      ['100 kB of headers', `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`, 431, 'headers-too-large'],
    ];
    for (const [what, bytes, status, code] of cases) {
      const reply = await send(bytes);
      assert.match(reply, new RegExp(`^HTTP/1.1 ${status} `), what);
      assert.equal(JSON.parse(reply.slice(reply.indexOf('{'), reply.lastIndexOf('}') + 1)).error.code, code, what);
    }
    assert.equal((await call('getStatus', {})).status, 200, 'the server keeps serving');
  });

  test("closing a tab's event stream cancels the answer that tab started", async () => {
    const fake = await stallingOllama();
    try {
      const tab = { 'X-LocalRAG-Token': server.token, 'X-LocalRAG-Client': 'tab-closing-1' };
      const events = request({ host: '127.0.0.1', port: server.port, method: 'GET', path: '/api/events', headers: tab });
      events.on('error', () => {});
      events.end();
      const answer = raw(server.port, 'POST', '/api/ask', { ...tab, 'Content-Type': 'application/json' }, JSON.stringify({ requestId: 'tab-close', question: 'What thickens towards the tip?' }));
      await untilAsked(fake);
      events.destroy();
      assert.equal((await fake.chatRequests()[0]!.ended).clientAborted, true, 'the LLM request was aborted');
      const reply = await answer;
      assert.ok(reply.status >= 400 && reply.status < 500, `${reply.status} ${reply.body.slice(0, 200)}`);
      assert.equal((await call('getStatus', {})).status, 200, 'the server keeps serving');
    } finally {
      await fake.close();
    }
  });

  test("a relative folder is refused, not read against the server's working directory", async () => {
    for (const [method, payload] of [['addFolder', { path: 'docs' }], ['removeFolder', { path: 'docs' }], ['reindex', { path: 'docs' }], ['importModel', { role: 'embedder', folder: 'models/e5' }]] as const) {
      const r = await call(method, payload);
      assert.equal(r.status, 422, `${method}: ${r.body.slice(0, 200)}`);
      assert.equal(JSON.parse(r.body).error.code, 'folder-not-absolute', method);
    }
  });

  test('closing the HTTP request cancels the answer it started', async () => {
    const fake = await stallingOllama();
    try {
      const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/ask', headers: { 'Content-Type': 'application/json', 'X-LocalRAG-Token': server.token } });
      req.on('error', () => {});
      req.end(JSON.stringify({ requestId: 'http-close', question: 'What thickens towards the tip?' }));
      const end = await untilAsked(fake);
      req.destroy();
      assert.equal((await fake.chatRequests()[0]!.ended).clientAborted, true, 'the LLM request was aborted');
      let row: { status: string } | undefined;
      while (Date.now() < end) {
        row = (JSON.parse((await call('history', {})).body) as { requestId: string; status: string }[]).find((h) => h.requestId === 'http-close');
        if (row?.status === 'cancelled') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(row?.status, 'cancelled');
    } finally {
      await fake.close();
    }
  });
});
