// Serve mode: the same UI in a browser, for machines without the Electron binary. node:http on 127.0.0.1 only;
// every API call needs the random token printed with the URL (header or ?token=), so other local users' pages
// and DNS-rebinding sites cannot drive the engine, and a request from another origin is refused.
// POST /api/<method> with a JSON body, events over SSE. This server is a thin relay: the engine runs behind the
// engine host (a worker thread in `localrag serve`), which validates each request, maps errors and routes events.
// Each browser tab is one host connection (its X-LocalRAG-Client id): its SSE stream receives the events it asked
// for, and closing the tab cancels what it started; closing one request cancels that call.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { AppError } from '../contract/api.js';
import { EVENT_NAMES } from '../contract/api.js';
import { AppErrorException } from '../contract/app-error.js';
import { toAppError } from '../host/app-error.js';
import type { HostClient, HostConnection } from '../host/client.js';
import type { EngineService } from '../host/dispatch.js';
import { hostInThread } from '../host/in-thread.js';
import { securityHeaders } from './csp.js';
import { httpStatusFor } from './http-status.js';
import { notBuiltPage, resolveStaticPath, sendFile } from './static-files.js';

export interface ServerOptions {
  /** The engine host to relay to (owned by the caller). */
  host?: HostClient;
  /** Or an engine in this thread (tests): served through an in-thread host; the caller still closes it. */
  engine?: EngineService;
  /** 0 or absent: a free port. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string;
}

export interface RunningServer {
  /** Open this in a browser: it carries the token. */
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export const LOOPBACK_HOST = '127.0.0.1';
export const TOKEN_HEADER = 'x-localrag-token';
/** One id per browser tab: its calls and its event stream share one engine host connection. */
export const CLIENT_HEADER = 'x-localrag-client';
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_BODY_BYTES = 1_000_000;
/** No request nests deeper than a few levels; thousands would overflow the stack when passed to the engine. */
const MAX_JSON_DEPTH = 64;
const KEEPALIVE_MS = 15_000;

/** A tab's connection lives while its event stream is open or one of its calls runs. */
interface Tab {
  connection: HostConnection;
  streams: number;
  calls: number;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  if (!opts.host && !opts.engine) throw new Error('startServer needs a host or an engine');
  const host = opts.host ?? hostInThread(opts.engine!);
  const ownsHost = !opts.host;
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const sseClients = new Set<ServerResponse>();
  const tabs = new Map<string, Tab>();
  let port = 0;

  // Without a Host header the request still reaches handle(), which refuses it in words (invalid-host).
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    handle(req, res).catch((err) => sendError(res, toAppError(err)));
  });
  server.on('clientError', answerClientError);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${LOOPBACK_HOST}`);
    } catch {
      return sendError(res, { code: 'invalid-url', message: 'The request URL is not valid.' });
    }
    if (!hostAllowed(req.headers.host, port)) {
      return sendError(res, { code: 'invalid-host', message: 'This server only answers requests addressed to 127.0.0.1 or localhost.' });
    }
    if (!originAllowed(req.headers.origin, port)) {
      return sendError(res, {
        code: 'forbidden-origin',
        message: 'Requests from other web pages are refused.',
        action: 'Open the app from the URL `localrag serve` printed.',
      });
    }
    if (url.pathname.startsWith('/api/')) {
      if (!tokenMatches(req, url, token)) {
        return sendError(res, {
          code: 'unauthorized',
          message: 'The access token is missing or wrong.',
          action: 'Open the exact URL that `localrag serve` printed (it contains the token).',
        });
      }
      const clientId = req.headers[CLIENT_HEADER] ?? url.searchParams.get('client') ?? undefined;
      if (clientId !== undefined && (typeof clientId !== 'string' || !CLIENT_ID.test(clientId))) {
        return sendError(res, { code: 'invalid-client-id', message: 'The client id must be 8 to 64 letters, digits, _ or -.' });
      }
      if (url.pathname === '/api/events') {
        if (req.method !== 'GET') return sendError(res, { code: 'invalid-http-method', message: 'Use GET for /api/events.' });
        return openEventStream(res, clientId);
      }
      const method = url.pathname.slice('/api/'.length);
      if (req.method !== 'POST') {
        return sendError(res, { code: 'invalid-http-method', message: `Use POST for /api/${method.slice(0, 80)}.` });
      }
      return relayCall(method, await readJson(req), res, clientId);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, { code: 'invalid-http-method', message: 'Only GET is allowed for the interface files.' });
    }
    const file = resolveStaticPath(opts.staticDir, url.pathname) ?? resolveStaticPath(opts.staticDir, '/');
    if (!file) {
      res.writeHead(503, { ...securityHeaders(), 'Content-Type': 'text/html; charset=utf-8' });
      res.end(notBuiltPage(opts.staticDir));
      return;
    }
    sendFile(res, file, securityHeaders());
  }

  /** The tab's connection (created on first use), or a one-call connection for clients without an id (curl). */
  function hold(clientId: string | undefined, as: 'streams' | 'calls'): { connection: HostConnection; release(): void } {
    if (clientId === undefined) {
      const connection = host.connect();
      return { connection, release: () => connection.close() };
    }
    let tab = tabs.get(clientId);
    if (!tab) {
      tab = { connection: host.connect(), streams: 0, calls: 0 };
      tabs.set(clientId, tab);
    }
    const t = tab;
    t[as]++;
    return {
      connection: t.connection,
      release() {
        t[as]--;
        // The tab's stream closing means the tab is gone: the engine cancels what it started. A call ending
        // closes the connection only when nothing else of the tab holds it.
        if (as === 'streams' || (t.streams === 0 && t.calls === 0)) {
          if (tabs.get(clientId) === t) tabs.delete(clientId);
          t.connection.close();
        }
      },
    };
  }

  async function relayCall(method: string, body: unknown, res: ServerResponse, clientId: string | undefined): Promise<void> {
    const { connection, release } = hold(clientId, 'calls');
    const abort = new AbortController();
    // The browser closing this request (page closed, fetch aborted) cancels this call in the engine.
    res.on('close', () => { if (!res.writableEnded) abort.abort(); });
    try {
      const reply = await connection.call(method, body, abort.signal);
      if (reply.ok) sendJson(res, 200, reply.result);
      else sendError(res, reply.error);
    } finally {
      release();
    }
  }

  function openEventStream(res: ServerResponse, clientId: string | undefined): void {
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    sseClients.add(res);
    const { connection, release } = hold(clientId, 'streams');
    // Only names from the contract go on the wire.
    const unsubscribe = EVENT_NAMES.map((event) => connection.on(event, (payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    }));
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    res.on('close', () => {
      clearInterval(keepalive);
      for (const u of unsubscribe) u();
      sseClients.delete(res);
      release();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK_HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK_HOST}:${port}/?token=${token}`,
    token,
    port,
    close: async () => {
      for (const res of sseClients) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const tab of tabs.values()) tab.connection.close();
      tabs.clear();
      if (ownsHost) await host.shutdown();
    },
  };
}

/**
 * A request Node cannot parse (headers over its limit, a malformed line or length, headers too slow) gets its 4xx
 * with a JSON error like every other refusal, instead of Node's empty reply.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const [status, error]: [number, AppError] = err.code === 'HPE_HEADER_OVERFLOW'
    ? [431, { code: 'headers-too-large', message: 'The request headers are larger than this server accepts.', action: 'Send shorter headers.' }]
    : err.code === 'HPE_HEADERS_TIMEOUT' || err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, { code: 'request-timeout', message: 'The request took too long to arrive.', action: 'Send it again.' }]
      : [400, { code: 'bad-http-request', message: 'The request is not valid HTTP.', action: 'Send a well-formed HTTP/1.1 request.' }];
  const body = JSON.stringify({ error });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function tokenMatches(req: IncomingMessage, url: URL, token: string): boolean {
  const header = req.headers[TOKEN_HEADER];
  const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, '');
  const given = (typeof header === 'string' ? header : undefined) ?? bearer ?? url.searchParams.get('token') ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Refuses DNS-rebinding: a page on evil.example resolving to 127.0.0.1 still sends Host: evil.example. */
function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `${LOOPBACK_HOST}:${port}` || host === `localhost:${port}`;
}

/**
 * Browsers name the page that made a request in Origin (every POST, every cross-origin request): only the app's
 * own origin may call. Requests without Origin (the address bar, curl, same-origin GETs) still need the token.
 */
function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return origin === `http://${LOOPBACK_HOST}:${port}` || origin === `http://localhost:${port}`;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('The request body is larger than 1 MB.'), { code: 'payload-too-large' });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw Object.assign(new Error('The request body is not valid JSON.'), { code: 'bad-json', action: 'Send a JSON object.' });
  }
  if (nestedDeeperThan(body, MAX_JSON_DEPTH)) {
    throw new AppErrorException({
      code: 'bad-json-nesting',
      message: `The request body nests more than ${MAX_JSON_DEPTH} levels deep.`,
      action: 'Send a flatter JSON object.',
      params: { limit: MAX_JSON_DEPTH },
    });
  }
  return body;
}

/** Walks arrays and objects without recursion, so the check itself cannot overflow the stack. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return void res.end();
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body ?? null));
}

function sendError(res: ServerResponse, error: AppError): void {
  sendJson(res, httpStatusFor(error), { error });
}
