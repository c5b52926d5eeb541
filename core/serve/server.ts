// Serve mode: the same UI in a browser, for machines without the Electron binary. node:http on 127.0.0.1 only;
// every API call needs the random token printed with the URL (header or ?token=), so other local users' pages
// and DNS-rebinding sites cannot drive the engine. POST /api/<method> with a JSON body, events over SSE.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiMethod, AppError, EngineApi, EventName, LocalRagEvents } from '../contract/api.js';
import { EVENT_NAMES } from '../contract/api.js';
import { isApiMethod, validateRequest } from '../contract/validate.js';
import { httpStatusFor, toAppError } from './app-error.js';
import { securityHeaders } from './csp.js';
import { notBuiltPage, resolveStaticPath, sendFile } from './static-files.js';

export interface ServerOptions {
  engine: EngineApi;
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
const MAX_BODY_BYTES = 1_000_000;
const KEEPALIVE_MS = 15_000;

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const sseClients = new Set<ServerResponse>();
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => sendError(res, toAppError(err)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK_HOST}`);
    if (!hostAllowed(req.headers.host, port)) {
      return sendError(res, { code: 'invalid-host', message: 'This server only answers requests addressed to 127.0.0.1 or localhost.' });
    }
    if (url.pathname.startsWith('/api/')) {
      if (!tokenMatches(req, url, token)) {
        return sendError(res, {
          code: 'unauthorized',
          message: 'The access token is missing or wrong.',
          action: 'Open the exact URL that `localrag serve` printed (it contains the token).',
        });
      }
      if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res);
      const method = url.pathname.slice('/api/'.length);
      if (req.method !== 'POST') {
        return sendError(res, { code: 'invalid-http-method', message: `Use POST for /api/${method}.` });
      }
      if (!isApiMethod(method)) {
        return sendError(res, { code: 'unknown-method', message: `There is no API method called "${method.slice(0, 80)}".` });
      }
      return callEngine(method, await readJson(req), res);
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

  async function callEngine(method: ApiMethod, body: unknown, res: ServerResponse): Promise<void> {
    const request = validateRequest(method, body);
    const fn = opts.engine[method] as (r: unknown) => Promise<unknown>;
    const result = await fn.call(opts.engine, request);
    sendJson(res, 200, result ?? null);
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    sseClients.add(res);
    const unsubscribe = opts.engine.subscribe(<E extends EventName>(event: E, payload: LocalRagEvents[E]) => {
      // Only names from the contract go on the wire.
      if ((EVENT_NAMES as readonly string[]).includes(event)) res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    res.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
      sseClients.delete(res);
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
    close: () => new Promise<void>((resolve) => {
      for (const res of sseClients) res.end();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
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
  try {
    return JSON.parse(text);
  } catch {
    throw Object.assign(new Error('The request body is not valid JSON.'), { code: 'bad-json', action: 'Send a JSON object.' });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: AppError): void {
  sendJson(res, httpStatusFor(error), { error });
}
