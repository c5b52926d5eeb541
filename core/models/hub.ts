// The Hugging Face Hub side of a download, on @huggingface/transformers' hub support: its env (remoteHost,
// remotePathTemplate, fetch) shapes every URL and request, and ModelRegistry.get_file_metadata answers which files
// exist and how big they are. The network is switched on only inside withHubEnv and off again after.
import { env, ModelFileNotFoundError, ModelRegistry } from '@huggingface/transformers';
import type { ModelRole } from '../contract/api.js';
import { ModelError } from './model-error.js';

export const HUB_REVISION = 'main';

export interface HubFile {
  /** Path inside the repo and inside the model folder, e.g. onnx/model.onnx. */
  path: string;
  optional: boolean;
}

/** What a model folder needs from a repo, small files first so a bad repo fails before the big download. */
export const HUB_FILES: readonly HubFile[] = [
  { path: 'config.json', optional: false },
  { path: 'tokenizer.json', optional: false },
  { path: 'tokenizer_config.json', optional: false },
  { path: 'special_tokens_map.json', optional: true },
  { path: 'vocab.txt', optional: true },
  { path: 'onnx/model.onnx', optional: false },
  { path: 'onnx/model_quantized.onnx', optional: true },
];

export interface PlannedFile extends HubFile {
  /** Bytes, when the hub says. */
  size: number | null;
}

export interface HubTarget {
  host: string;
  repo: string;
  /** Which model the user asked for, and its role, for messages. */
  id: string;
  role: ModelRole;
}

/** The file's URL the way transformers builds it: remoteHost + remotePathTemplate + file. */
export function hubFileUrl(host: string, repo: string, file: string): string {
  const path = env.remotePathTemplate.replaceAll('{model}', repo).replaceAll('{revision}', encodeURIComponent(HUB_REVISION));
  return [host.replace(/\/+$/, ''), path.replace(/^\/+|\/+$/g, ''), file].join('/');
}

/** Headers like transformers' own: a user agent, and the user's HF token only when talking to huggingface.co. */
export function hubHeaders(url: string): Record<string, string> {
  const headers: Record<string, string> = { 'User-Agent': `localrag (transformers.js/${env.version})` };
  const token = process.env.HF_TOKEN ?? process.env.HF_ACCESS_TOKEN;
  if (token && /^(?:.+\.)?(?:huggingface\.co|hf\.co)$/.test(new URL(url).hostname)) headers.Authorization = `Bearer ${token}`;
  return headers;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs fn with transformers allowed to reach `host`, one caller at a time (env is process-wide), and switches
 * remote access off again afterwards whatever happens.
 */
export function withHubEnv<T>(host: string, fn: () => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    const saved = { remoteHost: env.remoteHost, allowLocalModels: env.allowLocalModels };
    env.allowRemoteModels = true;
    env.allowLocalModels = false; // ask the hub, not whatever localModelPath points at
    env.remoteHost = host.endsWith('/') ? host : host + '/';
    try {
      return await fn();
    } finally {
      env.remoteHost = saved.remoteHost;
      env.allowLocalModels = saved.allowLocalModels;
      env.allowRemoteModels = false;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Which of HUB_FILES the repo has, with sizes. `metaDir` must be unique per attempt: transformers memoises
 * metadata by (repo, revision, cache_dir, file), not by host, so a fresh cache_dir keeps an earlier attempt (or
 * another hubHost) from answering. Nothing is written there.
 */
export async function planDownload(target: HubTarget, metaDir: string): Promise<PlannedFile[]> {
  const ask = () => withHubEnv(target.host, () => Promise.all(HUB_FILES.map(async (f) => {
    const meta = await ModelRegistry.get_file_metadata(target.repo, f.path, { cache_dir: metaDir, revision: HUB_REVISION });
    return { ...f, exists: meta.exists, size: meta.size ?? null, stillRemote: env.allowRemoteModels };
  })));
  let answers = await ask();
  // Another part of the app (a tokenizer load) may switch remote access off mid-check; then "absent" means nothing.
  if (answers.some((a) => !a.stillRemote)) answers = await ask();
  const absent = answers.find((a) => !a.exists && !a.optional);
  if (absent) throw fileNotFound(target, absent.path, 404);
  return answers.filter((a) => a.exists).map(({ path, optional, size }) => ({ path, optional, size }));
}

export function fileNotFound(target: HubTarget, file: string, status: number): ModelError {
  const where = `${target.repo} on ${target.host}`;
  return new ModelError({
    code: 'model-file-not-found',
    message: status === 404
      ? `${where} has no ${file} (HTTP 404), so "${target.id}" cannot be downloaded from there.`
      : `${where} refused ${file} (HTTP ${status}): the repo is missing, private or gated.`,
    action: `Check that Settings > hubHost (${target.host}) is the Hugging Face Hub or a mirror of it, or import a local folder instead: ` +
      `\`localrag models import <folder> --role ${target.role} --id ${target.id}\` (Library > Models > Import).`,
  });
}

/** Turns what a hub request threw into a ModelError the user can act on. */
export function hubRequestError(err: unknown, target: HubTarget, file?: string): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof ModelFileNotFoundError) {
    const status = Number((err as { status?: unknown }).status) || 404;
    return fileNotFound(target, file ?? 'a required file', status);
  }
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TypeError' && /fetch failed/i.test(e.message ?? '')) {
    const why = e.cause?.code ?? e.cause?.message ?? 'no connection';
    return new ModelError({
      code: 'hub-unreachable',
      message: `Could not reach ${target.host} (${why}): this computer looks offline, or the host is blocked.`,
      action: `Connect to the internet (or set Settings > hubHost to a reachable mirror) and run \`localrag models download ${target.id}\` again; ` +
        `without a network, copy the model folder from another machine and import it: \`localrag models import <folder> --role ${target.role} --id ${target.id}\` (Library > Models > Import).`,
    });
  }
  return new ModelError({
    code: 'hub-error',
    message: `The download of "${target.id}" from ${target.host} failed: ${e?.message ?? String(err)}`,
    action: `Try \`localrag models download ${target.id}\` again later, or import a local folder instead (Library > Models > Import).`,
  });
}
