// One file of a download: GET it into `<dest>.incomplete`, resume with Range from what an interrupted attempt
// left there, check the bytes against the hub's checksum, then rename it into place. A mismatch deletes the bytes
// (they can never become right) and fails naming the file; an interruption keeps them for the next attempt.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { webPageError, type HubFetch, type HubTarget, type RepoFile } from './hub.js';
import { ModelError } from './model-error.js';

export const INCOMPLETE_SUFFIX = '.incomplete';

export interface FileJob {
  url: string;
  dest: string;
  /** Path in the repo, for messages. */
  label: string;
  expect: RepoFile;
}

export interface FetchContext {
  target: HubTarget;
  fetch: HubFetch;
  /** Bytes arrived (or found on disk from an earlier attempt, with resumed: true). */
  onBytes: (n: number, resumed: boolean) => void;
  signal?: AbortSignal;
  /** A stalled connection counts as interrupted after this long without a byte (default 60 s). */
  idleTimeoutMs?: number;
}

/** Fetches (or finds, already verified) one file; returns its sha256. */
export async function fetchVerified(job: FileJob, ctx: FetchContext): Promise<string> {
  const size = job.expect.size;
  if (sizeOf(job.dest) === size) {
    const done = await hashFile(job.dest, job.expect);
    if (matches(done, job.expect)) {
      ctx.onBytes(size, true);
      return done.sha256;
    }
    await rm(job.dest, { force: true });
  }
  const part = job.dest + INCOMPLETE_SUFFIX;
  await mkdir(dirname(job.dest), { recursive: true });
  let have = sizeOf(part) ?? 0;
  if (have > size) { await rm(part, { force: true }); have = 0; }
  const hashes = newHashes(job.expect);
  if (have > 0) {
    await feed(hashes, part);
    ctx.onBytes(have, true);
  }
  if (have < size) await download(job, ctx, part, have, hashes);
  const sums = digest(hashes);
  if (!matches(sums, job.expect)) {
    await rm(part, { force: true });
    throw checksumMismatch(ctx.target, job, sums);
  }
  await rename(part, job.dest);
  return sums.sha256;
}

async function download(job: FileJob, ctx: FetchContext, part: string, have: number, hashes: Hashes): Promise<void> {
  const size = job.expect.size;
  const idle = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, idle.signal]) : idle.signal;
  const idleMs = ctx.idleTimeoutMs ?? 60_000;
  let timer = setTimeout(() => idle.abort(), idleMs);
  const poke = () => { clearTimeout(timer); timer = setTimeout(() => idle.abort(), idleMs); };
  let loaded = have;
  const fail = (err: unknown) => stopped(ctx, job, loaded, idle.signal) ?? interrupted(ctx.target, job, loaded, err);
  try {
    let res: Response;
    try {
      res = await ctx.fetch(job.url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, signal });
    } catch (err) {
      throw fail(err);
    }
    if (have > 0 && res.status === 200) {
      // The server ignored Range: start the file over.
      ctx.onBytes(-have, true);
      loaded = 0;
      hashes.reset();
    } else if (have > 0 && res.status !== 206) {
      await res.body?.cancel();
      if (res.status === 416) { await rm(part, { force: true }); throw interrupted(ctx.target, job, 0, new Error('the server refused to resume; the file starts over next time')); }
    }
    if (res.status === 401 || res.status === 403 || res.status === 404) throw new ModelError(httpRefusal(ctx.target, job, res.status));
    if (!res.ok || !res.body) throw fail(new Error(`HTTP ${res.status}`));
    if (/^text\/html/i.test(res.headers.get('content-type') ?? '') && !/\.html?$/i.test(job.url)) {
      await res.body.cancel();
      throw webPageError(ctx.target, job.label);
    }
    poke();
    try {
      await pipeline(
        Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>),
        async function* count(chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            poke();
            loaded += chunk.length;
            if (loaded > size) throw new Error(`more bytes than the ${size} the hub listed`);
            hashes.update(chunk);
            ctx.onBytes(chunk.length, false);
            yield chunk;
          }
        },
        createWriteStream(part, { flags: loaded === have && have > 0 ? 'a' : 'w' }),
      );
    } catch (err) {
      throw fail(err);
    }
    if (loaded !== size) throw interrupted(ctx.target, job, loaded, new Error('connection closed early'));
  } finally {
    clearTimeout(timer);
  }
}

interface Hashes {
  update(chunk: Buffer): void;
  reset(): void;
  sha256: Hash;
  sha1: Hash | null;
}

/** sha256 always (recorded in the marker); the git blob sha1 too for files git keeps ("blob <size>\0" + bytes). */
function newHashes(expect: RepoFile): Hashes {
  const h: Hashes = {
    sha256: createHash('sha256'), sha1: null,
    update(chunk) { h.sha256.update(chunk); h.sha1?.update(chunk); },
    reset() {
      h.sha256 = createHash('sha256');
      h.sha1 = expect.gitOid ? createHash('sha1').update(`blob ${expect.size}\0`) : null;
    },
  };
  h.reset();
  return h;
}

function digest(h: Hashes): { sha256: string; gitOid: string | null } {
  return { sha256: h.sha256.digest('hex'), gitOid: h.sha1?.digest('hex') ?? null };
}

function matches(sums: { sha256: string; gitOid: string | null }, expect: RepoFile): boolean {
  if (expect.sha256) return sums.sha256 === expect.sha256.toLowerCase();
  if (expect.gitOid) return sums.gitOid === expect.gitOid.toLowerCase();
  return true;
}

async function feed(h: Hashes, path: string): Promise<void> {
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
}

async function hashFile(path: string, expect: RepoFile): Promise<{ sha256: string; gitOid: string | null }> {
  const h = newHashes(expect);
  await feed(h, path);
  return digest(h);
}

function sizeOf(path: string): number | null {
  try { return statSync(path).size; } catch { return null; }
}

const mb = (n: number) => (n / 1e6).toFixed(1);

function checksumMismatch(target: HubTarget, job: FileJob, sums: { sha256: string; gitOid: string | null }): ModelError {
  const expected = job.expect.sha256 ?? job.expect.gitOid ?? '';
  const got = job.expect.sha256 ? sums.sha256 : sums.gitOid ?? '';
  return new ModelError({
    code: 'download-checksum-mismatch',
    message: `${job.label} for "${target.id}" arrived damaged: its ${job.expect.sha256 ? 'sha256' : 'git checksum'} is ${got.slice(0, 12)}…, the hub lists ${expected.slice(0, 12)}…; it was deleted.`,
    action: `Run \`localrag models download ${target.id}\` again (Library > Models > Download); if it fails the same way, the network or the mirror at ${target.host} alters files: use another connection or hubHost.`,
    params: { file: job.label, id: target.id, expected, actual: got, host: target.host },
  });
}

function httpRefusal(target: HubTarget, job: FileJob, status: number) {
  return {
    code: 'model-file-not-found',
    message: `${target.host} answered HTTP ${status} for ${job.label} of "${target.id}", which its file list had.`,
    action: `Try \`localrag models download ${target.id}\` again later; if it persists, set Settings > hubHost to the Hugging Face Hub or import a local folder (Library > Models > Import).`,
    params: { host: target.host, file: job.label, status, id: target.id },
  };
}

/** The error for a user cancel or an idle timeout, or null when neither happened. */
function stopped(ctx: FetchContext, job: FileJob, loaded: number, idle: AbortSignal): ModelError | null {
  if (ctx.signal?.aborted) {
    return new ModelError({
      code: 'download-cancelled',
      message: `The download of "${ctx.target.id}" was cancelled; nothing was installed.`,
      action: 'Start it again when you are ready: it continues where it stopped.',
      params: { id: ctx.target.id },
    });
  }
  if (idle.aborted) return interrupted(ctx.target, job, loaded, new Error(`no data for ${Math.round((ctx.idleTimeoutMs ?? 60_000) / 1000)} s`));
  return null;
}

function interrupted(target: HubTarget, job: FileJob, loaded: number, err: unknown): ModelError {
  const code = (err as { cause?: { code?: string } })?.cause?.code;
  const why = code ? `the connection broke: ${code}` : (err as Error)?.message ?? String(err);
  return new ModelError({
    code: 'download-interrupted',
    message: `The download of ${job.label} for "${target.id}" stopped after ${mb(loaded)} of ${mb(job.expect.size)} MB (${why}); nothing was installed.`,
    action: `Check the connection and run \`localrag models download ${target.id}\` again (Library > Models > Download): it resumes from ${mb(loaded)} MB.`,
    params: { file: job.label, id: target.id, loadedMb: mb(loaded), totalMb: mb(job.expect.size), reason: why },
  });
}
