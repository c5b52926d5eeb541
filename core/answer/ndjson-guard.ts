// The fetch every Ollama request goes through. The ollama client skips NDJSON lines it cannot parse (console.warn
// and carry on), which would turn a corrupt stream into a silently truncated answer, buffers a line however long it
// is, and shows a JSON error object as "[object Object]". So this wrapper:
// - checks every line of a streamed reply first and fails the body with MalformedLineError;
// - bounds each streamed line and each whole reply (ReplyTooLargeError): a 50 MB line used to grow the process by
//   over a gigabyte before anything noticed;
// - rewrites an error reply into Ollama's own {"error": "<text>"} form with the server's real words in it;
// - ties every request to one extra abort signal.

export class MalformedLineError extends Error {
  override readonly name = 'MalformedLineError';
  constructor(readonly line: string) {
    super(`Malformed line in the NDJSON stream: ${line.length > 120 ? `${line.slice(0, 120)}…` : line}`);
  }
}

export class ReplyTooLargeError extends Error {
  override readonly name = 'ReplyTooLargeError';
  constructor(readonly what: 'line' | 'reply', readonly limitBytes: number) {
    super(`The server sent a ${what === 'line' ? 'stream line' : 'reply'} longer than ${limitBytes} bytes.`);
  }
}

/** Ollama's stream lines are one token or one progress report each: a few hundred bytes. */
export const MAX_LINE_CHARS = 1 << 20;
/** Whole replies (/api/tags, /api/show with a long licence) stay well under this. */
export const MAX_REPLY_BYTES = 16 << 20;
/** What is read of an error reply to find its message. */
const MAX_ERROR_BYTES = 64 << 10;

function checkLine(line: string): void {
  if (line.length > MAX_LINE_CHARS) throw new ReplyTooLargeError('line', MAX_LINE_CHARS);
  if (line.trim() === '') return;
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
  } catch {
    throw new MalformedLineError(line);
  }
}

/** Passes the bytes through unchanged, line by line, after each line has parsed as a JSON object. */
export function guardNdjson(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  return body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const text = decoder.decode(chunk, { stream: true });
      const end = text.lastIndexOf('\n');
      if (end < 0) {
        // Still inside one line: only its length is checked until it ends (never rescanned, never unbounded).
        pending += text;
        if (pending.length > MAX_LINE_CHARS) throw new ReplyTooLargeError('line', MAX_LINE_CHARS);
        return;
      }
      const complete = pending + text.slice(0, end + 1);
      pending = text.slice(end + 1);
      // Erroring a stream discards what is queued, so a bad line costs at most the tokens of its own network chunk.
      for (const line of complete.split('\n')) checkLine(line);
      if (pending.length > MAX_LINE_CHARS) throw new ReplyTooLargeError('line', MAX_LINE_CHARS);
      controller.enqueue(encoder.encode(complete));
    },
    flush(controller) {
      pending += decoder.decode();
      checkLine(pending);
      if (pending !== '') controller.enqueue(encoder.encode(pending));
    },
  }));
}

/** Passes the bytes through until there are more than `limit` of them. */
function capBody(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > limit) throw new ReplyTooLargeError('reply', limit);
      controller.enqueue(chunk);
    },
  }));
}

/** At most `limit` bytes of the body as text; the rest is not read. */
async function readStart(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit));
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 300);

/**
 * The message in an error reply, whatever shape it has: Ollama's {"error": "..."}, a proxy's {"error": {"message":
 * "..."}} or {"message": "..."}, an HTML error page (its title), or plain text.
 */
export function errorText(raw: string): string {
  try {
    const json: unknown = JSON.parse(raw);
    if (json && typeof json === 'object') {
      const o = json as { error?: unknown; message?: unknown; detail?: unknown };
      for (const v of [o.error, o.message, o.detail]) {
        if (typeof v === 'string' && v.trim() !== '') return collapse(v);
        if (v && typeof v === 'object') {
          const inner = (v as { message?: unknown }).message;
          return collapse(typeof inner === 'string' ? inner : JSON.stringify(v));
        }
      }
    }
  } catch { /* not JSON: text or HTML */ }
  if (/^\s*</.test(raw)) {
    const title = /<title[^>]*>([^<]*)</i.exec(raw)?.[1] ?? /<h1[^>]*>([^<]*)</i.exec(raw)?.[1];
    return collapse(title ?? raw.replace(/<[^>]*>/g, ' '));
  }
  return collapse(raw);
}

const STREAMING_PATHS = /\/api\/(chat|generate|pull|push|create)$/;

export interface GuardedFetch {
  fetch: typeof fetch;
  /** True once a response (status line and headers) has arrived: later failures broke a stream, not a connect. */
  readonly responded: boolean;
}

/** A fetch for one Ollama request: aborted by `signal` as well as the client's own, every body guarded. */
export function guardedFetch(signal: AbortSignal): GuardedFetch {
  const state = { responded: false };
  const wrapped: typeof fetch = async (input, init) => {
    const signals = [signal, init?.signal].filter((s): s is AbortSignal => !!s);
    const res = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
    state.responded = true;
    const head = { status: res.status, statusText: res.statusText };
    if (!res.ok) {
      const text = errorText(await readStart(res, MAX_ERROR_BYTES)) || `${res.status} ${res.statusText}`.trim();
      return new Response(JSON.stringify({ error: text }), { ...head, headers: { 'Content-Type': 'application/json' } });
    }
    if (!res.body) return res;
    // By endpoint, not content type: a stranger on Ollama's port answering HTML is malformed, not "no answer".
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = STREAMING_PATHS.test(new URL(url).pathname) ? guardNdjson(res.body) : capBody(res.body, MAX_REPLY_BYTES);
    return new Response(body, { ...head, headers: res.headers });
  };
  return {
    fetch: wrapped,
    get responded() {
      return state.responded;
    },
  };
}
