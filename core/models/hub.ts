// The Hugging Face Hub side of a download, on @huggingface/hub: modelInfo answers which commit `main` is, and
// listFiles answers which files a repo has at a commit, with sizes and checksums (the LFS oid is the file's sha256;
// small files carry their git blob sha1). Every request goes through hubFetch, which asks for uncompressed bodies,
// adds the user's token only for huggingface.co, and notices when the hub redirects a renamed repo.
import { HubApiError, listFiles, modelInfo } from '@huggingface/hub';
import type { ModelRole } from '../contract/api.js';
import { ModelError } from './model-error.js';
import type { RepoRef } from './hub-sources.js';

export interface HubTarget {
  host: string;
  /** Which model the user asked for, and its role, for messages. */
  id: string;
  role: ModelRole;
}

export interface RepoFile {
  size: number;
  /** sha256 (hex) of a Git LFS file: what large files are checked against. */
  sha256?: string;
  /** git blob sha1 (hex) of a file kept in git itself (config, tokenizer files). */
  gitOid?: string;
}

export interface RepoListing {
  /** The repo's current name (differs from the one asked for after a rename). */
  repo: string;
  revision: string;
  files: Map<string, RepoFile>;
}

export type HubFetch = typeof fetch;

/** Our identity; the version helps hub operators, the token only goes to the Hub itself. */
export function hubHeaders(url: string): Record<string, string> {
  const headers: Record<string, string> = { 'User-Agent': 'localrag (+https://github.com/localrag)', 'Accept-Encoding': 'identity' };
  const token = process.env.HF_TOKEN ?? process.env.HF_ACCESS_TOKEN;
  if (token && /^(?:.+\.)?(?:huggingface\.co|hf\.co)$/.test(new URL(url).hostname)) headers.Authorization = `Bearer ${token}`;
  return headers;
}

/**
 * fetch with our headers. Accept-Encoding: identity because small files sent gzip-compressed carry the compressed
 * Content-Length, which says nothing about the bytes we get; sizes come from the listing instead.
 */
export function hubFetch(base: HubFetch = fetch, onResponse?: (res: Response) => void): HubFetch {
  return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(hubHeaders(url))) if (!headers.has(k)) headers.set(k, v);
    const res = await base(url, { ...init, headers });
    onResponse?.(res);
    return res;
  }) as HubFetch;
}

/** `main.repo` at its pinned commit, or main's commit now; follows a rename the hub redirects to. */
export async function listRepo(target: HubTarget, ref: RepoRef, fetchImpl: HubFetch = fetch): Promise<RepoListing> {
  const hubUrl = target.host.replace(/\/+$/, '');
  let repo = ref.repo;
  const noticeRename = (res: Response) => {
    if (!res.redirected) return;
    const m = /\/api\/models\/([^/]+\/[^/?]+)/.exec(new URL(res.url).pathname);
    if (m && m[1] !== repo) repo = decodeURIComponent(m[1]!);
  };
  const f = hubFetch(fetchImpl, noticeRename);
  try {
    const revision = ref.revision ?? (await modelInfo({ name: ref.repo, hubUrl, fetch: f, revision: 'main', additionalFields: ['sha'] })).sha;
    if (!revision) throw new Error(`the hub did not say which commit main of ${ref.repo} is`);
    const files = new Map<string, RepoFile>();
    for await (const e of listFiles({ repo: ref.repo, revision, recursive: true, hubUrl, fetch: f })) {
      if (e.type !== 'file') continue;
      files.set(e.path, { size: e.lfs?.size ?? e.size, ...(e.lfs ? { sha256: e.lfs.oid } : { gitOid: e.oid }) });
    }
    return { repo, revision, files };
  } catch (err) {
    throw hubRequestError(err, target, ref);
  }
}

/** The URL of one file at one commit: `<host>/<repo>/resolve/<revision>/<path>`. */
export function hubFileUrl(host: string, repo: string, revision: string, path: string): string {
  return `${host.replace(/\/+$/, '')}/${repo}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

export function fileNotFound(target: HubTarget, repo: string, revision: string, file: string, status = 404): ModelError {
  const where = `${repo} on ${target.host}`;
  return new ModelError({
    code: 'model-file-not-found',
    message: status === 404
      ? `${where} has no ${file} at commit ${revision.slice(0, 12)}, so "${target.id}" cannot be downloaded from there.`
      : `${where} refused ${file} (HTTP ${status}): the repo is private or gated.`,
    action: `Check that Settings > hubHost (${target.host}) is the Hugging Face Hub or a full mirror of it, or import a local folder instead: ` +
      `\`localrag models import <folder> --role ${target.role} --id ${target.id}\` (Library > Models > Import).`,
    params: { host: target.host, repo, revision, file, status, id: target.id },
  });
}

/**
 * A 200 answer that is a web page where JSON or a model file belongs: a network's sign-in page (hotel, airport), a
 * proxy's block page or a mirror's error page. Its bytes are never kept as (part of) the file.
 */
export function webPageError(target: HubTarget, file: string): ModelError {
  return new ModelError({
    code: 'hub-web-page',
    message: `${target.host} answered ${file} with a web page instead of the Hub's reply (a network sign-in page, a proxy or an error page); nothing was kept.`,
    action: `Sign in to the network in a browser (or check the proxy and Settings > hubHost), then run \`localrag models download ${target.id}\` again (Library > Models > Download).`,
    params: { host: target.host, file, id: target.id },
  });
}

/** Turns what a hub request threw into a ModelError the user can act on. */
export function hubRequestError(err: unknown, target: HubTarget, ref?: RepoRef): ModelError {
  if (err instanceof ModelError) return err;
  // The listing is JSON; a body that does not parse came from something other than the Hub.
  if ((err as Error)?.name === 'SyntaxError') return webPageError(target, `the file list of ${ref?.repo ?? target.id}`);
  const importHint = `\`localrag models import <folder> --role ${target.role} --id ${target.id}\` (Library > Models > Import)`;
  if (err instanceof HubApiError && ref) {
    if (err.statusCode === 404) {
      return new ModelError({
        code: 'hub-repo-not-found',
        message: `${target.host} has no ${ref.repo}${ref.revision ? ` at commit ${ref.revision.slice(0, 12)}` : ''}: the repo was renamed or removed, or the mirror lacks it.`,
        action: `Update localrag (its list of model sources may be out of date), point Settings > hubHost at the Hugging Face Hub, or import a local folder: ${importHint}.`,
        params: { host: target.host, repo: ref.repo, revision: ref.revision ?? 'main', id: target.id },
      });
    }
    if (err.statusCode === 401 || err.statusCode === 403) {
      return new ModelError({
        code: 'hub-repo-refused',
        message: `${target.host} refused ${ref.repo} (HTTP ${err.statusCode}): the repo is private or gated.`,
        action: `Set HF_TOKEN to a token with access, or import a local folder: ${importHint}.`,
        params: { host: target.host, repo: ref.repo, status: err.statusCode, id: target.id },
      });
    }
  }
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TypeError' && /fetch failed/i.test(e.message ?? '')) {
    const why = e.cause?.code ?? e.cause?.message ?? 'no connection';
    return new ModelError({
      code: 'hub-unreachable',
      message: `Could not reach ${target.host} (${why}): this computer looks offline, or the host is blocked.`,
      action: `Connect to the internet (or set Settings > hubHost to a reachable mirror) and run \`localrag models download ${target.id}\` again; ` +
        `without a network, copy the model folder from another machine and import it: ${importHint}.`,
      params: { host: target.host, reason: why, id: target.id },
    });
  }
  const why = e?.message ?? String(err);
  return new ModelError({
    code: 'hub-error',
    message: `The download of "${target.id}" from ${target.host} failed: ${why}`,
    action: `Try \`localrag models download ${target.id}\` again later, or import a local folder instead (Library > Models > Import).`,
    params: { host: target.host, reason: why, id: target.id },
  });
}
