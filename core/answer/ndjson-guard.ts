// The ollama client skips NDJSON lines it cannot parse (console.warn and carry on), which would turn a corrupt
// stream into a silently truncated answer. This fetch wrapper checks every line of a streamed reply first and
// fails the body with MalformedLineError instead; it also ties every request to one extra abort signal.

export class MalformedLineError extends Error {
  override readonly name = 'MalformedLineError';
  constructor(readonly line: string) {
    super(`Malformed line in the NDJSON stream: ${line.length > 120 ? `${line.slice(0, 120)}…` : line}`);
  }
}

function checkLine(line: string): void {
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
      pending += decoder.decode(chunk, { stream: true });
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      const complete = pending.slice(0, end + 1);
      pending = pending.slice(end + 1);
      // Erroring a stream discards what is queued, so a bad line costs at most the tokens of its own network chunk.
      for (const line of complete.split('\n')) checkLine(line);
      controller.enqueue(encoder.encode(complete));
    },
    flush(controller) {
      pending += decoder.decode();
      checkLine(pending);
      if (pending !== '') controller.enqueue(encoder.encode(pending));
    },
  }));
}

const STREAMING_PATHS = /\/api\/(chat|generate|pull|push|create)$/;

export interface GuardedFetch {
  fetch: typeof fetch;
  /** True once a response (status line and headers) has arrived: later failures broke a stream, not a connect. */
  readonly responded: boolean;
}

/** A fetch for one Ollama request: aborted by `signal` as well as the client's own, NDJSON bodies guarded. */
export function guardedFetch(signal: AbortSignal): GuardedFetch {
  const state = { responded: false };
  const wrapped: typeof fetch = async (input, init) => {
    const signals = [signal, init?.signal].filter((s): s is AbortSignal => !!s);
    const res = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
    state.responded = true;
    // By endpoint, not content type: a stranger on Ollama's port answering HTML is malformed, not "no answer".
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!res.ok || !res.body || !STREAMING_PATHS.test(new URL(url).pathname)) return res;
    return new Response(guardNdjson(res.body), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return {
    fetch: wrapped,
    get responded() {
      return state.responded;
    },
  };
}
