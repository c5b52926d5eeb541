// Downloading a known model from the Hugging Face Hub (or a mirror) into `<modelsDir>/<id>/`, only when the user asks.
//
// Why we stream the files ourselves: transformers 4.3.1 exports no file getter (getModelFile is internal; only its
// model/tokenizer loaders call it, and those would build ONNX sessions just to fetch weights), and its file cache
// writes to `<cacheDir>/<repo>/<file>`, never to a folder of our choosing. So transformers' hub support plans the
// download (env.remoteHost / remotePathTemplate for URLs, ModelRegistry.get_file_metadata for which files exist and
// their sizes) and its env.fetch makes each request, while we write the body straight into the staging folder with
// our own progress events. That avoids a second copy of a 500 MB model out of a cache.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { env } from '@huggingface/transformers';
import type { DownloadProgress, ModelStatus } from '../contract/api.js';
import { DEFAULT_SETTINGS } from '../contract/settings.js';
import { KNOWN_PROFILES } from '../embed/profiles.js';
import { fileNotFound, HUB_REVISION, hubFileUrl, hubHeaders, hubRequestError, planDownload, type HubTarget, type PlannedFile } from './hub.js';
import { writeMarker } from './marker.js';
import { appErrorOf, ModelError } from './model-error.js';
import { assertValidModelId, modelStatus } from './registry.js';
import { installStaged } from './staging.js';

export interface DownloadOptions {
  modelsDir: string;
  /** A model id with a hub repo in KNOWN_PROFILES. */
  id: string;
  /** Settings.hubHost; https://huggingface.co when absent. */
  hubHost?: string;
  onProgress?: (p: DownloadProgress) => void;
  /** Cancels the download; nothing is installed. */
  signal?: AbortSignal;
  /** A stalled connection counts as interrupted after this long without a byte (default 60 s). */
  idleTimeoutMs?: number;
}

/** The `file` of the last event, which has done: true and the byte totals of the whole download. */
export const ALL_FILES = 'all files';

export async function downloadModel(opts: DownloadOptions): Promise<ModelStatus> {
  const profile = KNOWN_PROFILES[opts.id];
  if (!profile?.hubRepo) throw unknownModel(opts.id);
  assertValidModelId(opts.id);
  const target: HubTarget = { host: opts.hubHost ?? DEFAULT_SETTINGS.hubHost, repo: profile.hubRepo, id: opts.id, role: profile.role };
  const emit = (p: Omit<DownloadProgress, 'modelId'>) => opts.onProgress?.({ modelId: opts.id, ...p });
  let loadedAll = 0;
  let totalAll = 0;
  try {
    await installStaged(opts.modelsDir, opts.id, async (staging) => {
      let plan: PlannedFile[];
      try {
        plan = await planDownload(target, join(staging, '.hub-meta', randomUUID()));
      } catch (err) {
        throw hubRequestError(err, target);
      }
      totalAll = plan.reduce((s, f) => s + (f.size ?? 0), 0);
      for (const file of plan) {
        loadedAll += await fetchFile(target, file, join(staging, file.path), { ...opts, emit });
      }
      await writeMarker(staging, {
        source: 'hub', repo: target.repo, hubHost: target.host, revision: HUB_REVISION, role: profile.role,
        files: plan.map((f) => f.path), at: new Date().toISOString(),
      });
    });
  } catch (err) {
    emit({ file: ALL_FILES, loaded: loadedAll, total: totalAll || null, done: true, error: appErrorOf(err) });
    throw err;
  }
  emit({ file: ALL_FILES, loaded: loadedAll, total: loadedAll, done: true });
  return modelStatus(opts.modelsDir, opts.id, profile.role);
}

interface FetchContext {
  emit: (p: Omit<DownloadProgress, 'modelId'>) => void;
  signal?: AbortSignal;
  idleTimeoutMs?: number;
}

/** GETs one file into `dest`, reporting progress about every 1%; returns the bytes written. */
async function fetchFile(target: HubTarget, file: PlannedFile, dest: string, ctx: FetchContext): Promise<number> {
  const url = hubFileUrl(target.host, target.repo, file.path);
  const idle = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, idle.signal]) : idle.signal;
  const idleMs = ctx.idleTimeoutMs ?? 60_000;
  let timer = setTimeout(() => idle.abort(), idleMs);
  const poke = () => { clearTimeout(timer); timer = setTimeout(() => idle.abort(), idleMs); };
  let loaded = 0;
  let total = file.size;
  try {
    let res: Response;
    try {
      res = await env.fetch(url, { headers: hubHeaders(url), signal }) as Response;
    } catch (err) {
      throw stopped(target, file.path, 0, total, ctx, idle.signal) ?? hubRequestError(err, target, file.path);
    }
    if (res.status === 404 && file.optional) { // gone since the plan: optional files may be skipped
      await res.body?.cancel();
      return 0;
    }
    if (res.status === 401 || res.status === 403 || res.status === 404) throw fileNotFound(target, file.path, res.status);
    if (!res.ok || !res.body) throw hubRequestError(new Error(`HTTP ${res.status} for ${file.path}`), target, file.path);
    total = Number(res.headers.get('content-length')) || total;
    const step = Math.max(64 * 1024, Math.floor((total ?? 0) / 100));
    let reported = 0;
    ctx.emit({ file: file.path, loaded: 0, total, done: false });
    await mkdir(dirname(dest), { recursive: true });
    try {
      await pipeline(
        Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>),
        async function* count(chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            poke();
            loaded += chunk.length;
            if (loaded - reported >= step) {
              reported = loaded;
              ctx.emit({ file: file.path, loaded, total, done: false });
            }
            yield chunk;
          }
        },
        createWriteStream(dest),
      );
    } catch (err) {
      throw stopped(target, file.path, loaded, total, ctx, idle.signal) ?? interrupted(target, file.path, loaded, total, err);
    }
    if (total !== null && loaded !== total) throw interrupted(target, file.path, loaded, total, new Error('connection closed early'));
    ctx.emit({ file: file.path, loaded, total: total ?? loaded, done: false });
    return loaded;
  } finally {
    clearTimeout(timer);
  }
}

/** The error for a user cancel or an idle timeout, or null when neither happened. */
function stopped(target: HubTarget, file: string, loaded: number, total: number | null, ctx: FetchContext, idle: AbortSignal): ModelError | null {
  if (ctx.signal?.aborted) {
    return new ModelError({ code: 'download-cancelled', message: `The download of "${target.id}" was cancelled; nothing was installed.`, action: 'Start it again when you are ready.' });
  }
  if (idle.aborted) return interrupted(target, file, loaded, total, new Error(`no data for ${Math.round((ctx.idleTimeoutMs ?? 60_000) / 1000)} s`));
  return null;
}

function interrupted(target: HubTarget, file: string, loaded: number, total: number | null, err: unknown): ModelError {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const code = (err as { cause?: { code?: string } })?.cause?.code;
  const why = code ? `the connection broke: ${code}` : (err as Error)?.message ?? String(err);
  return new ModelError({
    code: 'download-interrupted',
    message: `The download of ${file} for "${target.id}" stopped after ${mb(loaded)}${total ? ` of ${mb(total)}` : ''} MB (${why}); nothing was installed.`,
    action: `Check the connection and run \`localrag models download ${target.id}\` again (Library > Models > Download).`,
  });
}

function unknownModel(id: string): ModelError {
  const known = Object.values(KNOWN_PROFILES).filter((p) => p.hubRepo).map((p) => p.id);
  return new ModelError({
    code: 'model-unknown',
    message: `localrag does not know where to download "${id}" from (it can download: ${known.join(', ')}).`,
    action: 'Import a local Hugging Face ONNX folder instead: `localrag models import <folder> --role embedder|cross-encoder' +
      `${/^[\w.-]+$/.test(id) ? ` --id ${id}` : ''}\` (Library > Models > Import).`,
  });
}
