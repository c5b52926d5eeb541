// A real HTTP server on 127.0.0.1 that speaks the parts of Ollama's API the app uses, scripted per test case so
// every transport fault can be produced on demand. It records each request and whether the client hung up early.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChatScript =
  /** Streams the tokens, then the final done message with Ollama's counters. */
  /** delayMs: a pause before each token, the first included. */
  | { kind: 'normal'; tokens?: string[]; delayMs?: number }
  /** Sends the headers, then waits this long before the first token (real Ollama while it loads a model). */
  | { kind: 'slow-first-token'; delayMs: number; tokens?: string[] }
  /** Streams `after` tokens and then never writes again, until the client goes away. */
  | { kind: 'stall'; after: number; tokens?: string[] }
  /** Streams `after` tokens, waits for `when` if given (e.g. until the client has them), then destroys the socket. */
  | { kind: 'broken-mid-stream'; after: number; tokens?: string[]; when?: Promise<void> }
  /** Streams `after` tokens, then a line that is not JSON, then carries on normally. */
  | { kind: 'malformed-line'; after: number; tokens?: string[] }
  /** Streams the tokens and ends the response cleanly, but without the done message. */
  | { kind: 'no-done'; tokens?: string[] }
  /**
   * An {"error": ...} line in a 200 stream: how Ollama reports a model that failed to load (after `after` tokens,
   * default none: a runner that failed mid-answer, e.g. out of memory on a long context).
   */
  | { kind: 'error-line'; message: string; after?: number; tokens?: string[] }
  /** Answers with this HTTP status and Ollama's JSON error body, or `body` as given (a proxy's own error shape). */
  | { kind: 'status'; status: number; error: string; body?: string; contentType?: string }
  /** Ignores num_predict: streams tokens for ever (as fast as the client reads) until the client goes away. */
  | { kind: 'endless'; tokens?: string[] }
  /** Streams `after` tokens, then one line of `bytes` bytes, sent in 64 KiB pieces as the client reads them. */
  | { kind: 'huge-line'; after: number; bytes: number; tokens?: string[] }
  /** Streams `after` tokens, then these lines (garbage: not JSON objects), then carries on normally. */
  | { kind: 'garbage-lines'; after: number; lines: string[]; tokens?: string[] };

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  /** Resolves when the response is over: clientAborted is true when the client closed the connection first. */
  ended: Promise<{ clientAborted: boolean }>;
  /** Bytes of body written so far (a bounded client stops reading long before a huge reply is all sent). */
  sent: { bytes: number };
}

export interface FakeOllama {
  url: string;
  /** Installed models, as /api/tags lists them ("name:tag"). */
  models: string[];
  /** The script for the next /api/chat requests; 'normal' until changed. */
  script: ChatScript;
  /** /api/show waits this long before it answers (a busy Ollama loading another model); 0 until changed. */
  showDelayMs: number;
  /** Picks a script per /api/chat request from its body (e.g. by system prompt); `script` when it returns nothing. */
  scriptFor?: (body: Record<string, unknown> | null) => ChatScript | undefined;
  requests: RecordedRequest[];
  chatRequests(): RecordedRequest[];
  close(): Promise<void>;
}

export const FAKE_TOKENS = ['The', ' wing', ' stalls', ' at', ' high', ' angle', ' [1].'];
/** eval_duration the fake reports: 7 tokens in 0.35 s is 20 tokens/s. */
export const FAKE_EVAL_DURATION_NS = 350_000_000;
export const FAKE_CONTEXT_LENGTH = 8192;

const withTag = (name: string) => (name.includes(':') ? name : `${name}:latest`);

export async function startFakeOllama(options: { models?: string[] } = {}): Promise<FakeOllama> {
  const fake: FakeOllama = {
    url: '',
    models: (options.models ?? ['llama3.2:latest']).map(withTag),
    script: { kind: 'normal' },
    showDelayMs: 0,
    requests: [],
    chatRequests: () => fake.requests.filter((r) => r.path === '/api/chat'),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const server = createServer((req, res) => {
    void handle(fake, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  return raw === '' ? null : (JSON.parse(raw) as Record<string, unknown>);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function handle(fake: FakeOllama, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const body = req.method === 'POST' ? await readJson(req) : null;
  const state = { serverHungUp: false };
  const ended = new Promise<{ clientAborted: boolean }>((resolve) => {
    res.on('close', () => resolve({ clientAborted: !res.writableFinished && !state.serverHungUp }));
  });
  const sent = { bytes: 0 };
  const write = res.write.bind(res) as (chunk: string | Buffer) => boolean;
  res.write = ((chunk: string | Buffer, ...rest: unknown[]) => {
    sent.bytes += Buffer.byteLength(chunk);
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof res.write;
  fake.requests.push({ method: req.method ?? 'GET', path, body, ended, sent });
  const model = typeof body?.model === 'string' ? body.model : typeof body?.name === 'string' ? body.name : '';

  if (path === '/api/tags' && req.method === 'GET') {
    return sendJson(res, 200, { models: fake.models.map((name) => modelEntry(name)) });
  }
  if (path === '/api/show' && req.method === 'POST') {
    if (fake.showDelayMs > 0) await waitUnlessGone(res, fake.showDelayMs);
    if (res.destroyed) return;
    if (!fake.models.includes(withTag(model))) return sendJson(res, 404, { error: `model '${model}' not found` });
    return sendJson(res, 200, {
      modelfile: '# fake', parameters: '', template: '{{ .Prompt }}', details: modelEntry(model).details,
      model_info: { 'general.architecture': 'llama', 'llama.context_length': FAKE_CONTEXT_LENGTH },
      capabilities: ['completion'],
    });
  }
  if (path === '/api/pull' && req.method === 'POST') return pull(fake, model, res);
  if (path === '/api/chat' && req.method === 'POST') {
    if (!fake.models.includes(withTag(model))) {
      return sendJson(res, 404, { error: `model "${model}" not found, try pulling it first` });
    }
    return chat(fake.scriptFor?.(body) ?? fake.script, model, body, res, state);
  }
  sendJson(res, 404, { error: 'not found' });
}

function modelEntry(name: string) {
  return {
    name: withTag(name), model: withTag(name), modified_at: '2025-01-01T00:00:00Z', size: 1_000_000,
    digest: 'sha256:fake', details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '1B', quantization_level: 'Q4_0' },
  };
}

/** Writes one NDJSON line; false when the client has gone (so scripts stop). */
function line(res: ServerResponse, value: unknown): boolean {
  if (res.destroyed) return false;
  res.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  return true;
}

async function chat(
  script: ChatScript, model: string, body: Record<string, unknown> | null, res: ServerResponse, state: { serverHungUp: boolean },
): Promise<void> {
  if (script.kind === 'status') {
    if (script.body === undefined) return sendJson(res, script.status, { error: script.error });
    res.writeHead(script.status, { 'Content-Type': script.contentType ?? 'application/json' });
    return void res.end(script.body);
  }
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
  res.flushHeaders();
  const tokens = ('tokens' in script && script.tokens) || FAKE_TOKENS;
  const part = (content: string) => ({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content }, done: false });
  const gone = new Promise<void>((r) => res.on('close', () => r()));
  const wait = (ms: number) => waitUnlessGone(res, ms);
  /** Writes with backpressure; false once the client has gone. */
  const send = async (data: string): Promise<boolean> => {
    if (res.destroyed) return false;
    if (!res.write(data)) await Promise.race([new Promise((r) => res.once('drain', r)), gone]);
    return !res.destroyed;
  };

  if (script.kind === 'error-line') {
    for (let i = 0; i < (script.after ?? 0); i++) line(res, part(tokens[i % tokens.length]!));
    line(res, { error: script.message });
    return void res.end();
  }
  if (script.kind === 'slow-first-token') await wait(script.delayMs);
  if (script.kind === 'endless') {
    for (let i = 0; await send(`${JSON.stringify(part(tokens[i % tokens.length]!))}\n`); i++) {
      if (i % 64 === 63) await new Promise((r) => setImmediate(r));
    }
    return;
  }
  const stopAt = 'after' in script ? script.after : tokens.length;
  for (const [i, t] of tokens.entries()) {
    if (i === stopAt) {
      if (script.kind === 'stall') return gone;
      if (script.kind === 'huge-line') {
        const piece = 'x'.repeat(64 * 1024);
        for (let left = script.bytes; left > 0; left -= piece.length) if (!(await send(piece.slice(0, left)))) return;
        if (!(await send('\n'))) return;
      }
      if (script.kind === 'garbage-lines') for (const g of script.lines) line(res, g);
      if (script.kind === 'broken-mid-stream') {
        await Promise.race([script.when, gone]);
        state.serverHungUp = true;
        return void res.socket?.destroy();
      }
      if (script.kind === 'malformed-line') line(res, '{"model": "x", "message": {"content": "oops"');
    }
    // Before each token, the first included: a real model takes a while to its first token too.
    if (script.kind === 'normal' && script.delayMs) await wait(script.delayMs);
    if (!line(res, part(t))) return;
  }
  if (script.kind === 'stall') return gone;
  if (script.kind === 'no-done') return void res.end();
  const messages = Array.isArray(body?.messages) ? (body.messages as { content?: string }[]) : [];
  const promptChars = messages.reduce((n, m) => n + (m.content?.length ?? 0), 0);
  line(res, {
    model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop',
    total_duration: 500_000_000, load_duration: 10_000_000, prompt_eval_count: Math.ceil(promptChars / 4),
    prompt_eval_duration: 100_000_000, eval_count: tokens.length, eval_duration: FAKE_EVAL_DURATION_NS,
  });
  res.end();
}

async function pull(fake: FakeOllama, model: string, res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
  if (model.startsWith('missing')) {
    line(res, { status: 'pulling manifest' });
    line(res, { error: 'pull model manifest: file does not exist' });
    return void res.end();
  }
  line(res, { status: 'pulling manifest' });
  for (const completed of [0, 500, 1000]) line(res, { status: 'pulling abc123', digest: 'sha256:abc123', total: 1000, completed });
  line(res, { status: 'verifying sha256 digest' });
  line(res, { status: 'writing manifest' });
  line(res, { status: 'success' });
  if (!fake.models.includes(withTag(model))) fake.models.push(withTag(model));
  res.end();
}

/** Resolves after `ms`, or as soon as the client goes: a pending timer would keep the test process alive after it. */
function waitUnlessGone(res: ServerResponse, ms: number): Promise<void> {
  return new Promise<void>((r) => {
    const timer = setTimeout(r, ms);
    res.once('close', () => {
      clearTimeout(timer);
      r();
    });
  });
}
