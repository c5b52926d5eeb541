// A replay of the Hugging Face Hub on 127.0.0.1, as it answers today: the tree API (`/api/models/<repo>/tree/<rev>`,
// with LFS oids and git blob ids, paged by Link headers), model info (`/api/models/<repo>/revision/<rev>`), and
// `/<repo>/resolve/<rev>/<file>` with X-Repo-Commit, ETag / X-Linked-Etag / X-Linked-Size, a 302 for LFS files to
// a separate "CDN" server (another port) that serves the bytes with Range support, gzip for small files when the
// client accepts it, 404s with X-Error-Code, and a relative 307 for a renamed repo. Faults on request: a connection
// dropped halfway through a file, a flipped byte, a CDN that ignores Range.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { FixtureRepo } from './hub-fixture.js';

export interface FakeHubOptions {
  /** Current repo name -> commit and files. */
  repos: Record<string, FixtureRepo>;
  /** Old repo name -> current name (answered with a relative 307). */
  renamed?: Record<string, string>;
  /** Repo paths whose CDN GET without Range sends the headers and half the body, then destroys the socket. */
  dropMidFile?: string[];
  /** Repo paths whose CDN GET (with or without Range) sends the headers and half its body, then nothing until the client goes. */
  stallMidFile?: string[];
  /** Repo paths whose CDN body has one byte flipped. */
  corrupt?: string[];
  /** The CDN answers Range requests with the whole file (200). */
  ignoreRange?: boolean;
  /** Entries per tree page (the real hub pages at 1,000; small here to exercise Link). */
  pageSize?: number;
}

export interface HubRequest {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  range: string | null;
  acceptEncoding: string | null;
}

export interface FakeHub {
  host: string;
  cdnHost: string;
  requests: HubRequest[];
  close(): Promise<void>;
}

interface Blob { bytes: Buffer; sha256: string; gitOid: string; lfs: boolean }

/** The hub keeps .onnx, weights and anything over 10 MB in LFS, like the real repos' .gitattributes. */
const isLfs = (path: string, size: number) => /\.(onnx|bin|safetensors|model)$/.test(path) || size > 10_000_000;

export async function startFakeHub(opts: FakeHubOptions): Promise<FakeHub> {
  const requests: HubRequest[] = [];
  const blobs = new Map<string, Blob>(); // `${repo}\0${path}` and sha256 -> blob
  const blob = (repo: string, path: string): Blob | undefined => {
    const key = `${repo}\0${path}`;
    const disk = opts.repos[repo]?.files[path];
    if (!disk) return undefined;
    let b = blobs.get(key);
    if (!b) {
      const bytes = readFileSync(disk);
      b = {
        bytes, lfs: isLfs(path, bytes.length),
        sha256: createHash('sha256').update(bytes).digest('hex'),
        gitOid: createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex'),
      };
      blobs.set(key, b);
      blobs.set(b.sha256, b);
      cdnPaths.set(b.sha256, path);
    }
    return b;
  };
  const cdnPaths = new Map<string, string>();
  const log = (server: HubRequest['server'], req: IncomingMessage, path: string) => requests.push({
    server, method: req.method ?? '', path, range: req.headers.range ?? null, acceptEncoding: (req.headers['accept-encoding'] as string | undefined) ?? null,
  });

  const cdn = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    log('cdn', req, url.pathname);
    const m = /^\/repos\/[0-9a-f]{2}\/[0-9a-f]{2}\/([0-9a-f]{64})$/.exec(url.pathname);
    const b = m ? blobs.get(m[1]!) : undefined;
    if (!b || !url.searchParams.get('Signature')) return void res.writeHead(403, { 'Content-Type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
    const repoPath = cdnPaths.get(b.sha256)!;
    let bytes = b.bytes;
    if (opts.corrupt?.includes(repoPath)) {
      bytes = Buffer.from(bytes);
      bytes[bytes.length >> 1] ^= 0xff;
    }
    const headers = { 'Accept-Ranges': 'bytes', ETag: `"${b.sha256}"`, 'Content-Type': 'binary/octet-stream', 'Cache-Control': 'public, max-age=604800, immutable' };
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const stall = opts.stallMidFile?.includes(repoPath);
    if (range && !opts.ignoreRange) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
      if (start >= bytes.length) return void res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` }).end();
      res.writeHead(206, { ...headers, 'Content-Length': String(end - start + 1), 'Content-Range': `bytes ${start}-${end}/${bytes.length}` });
      if (stall && end - start > 1) return void res.write(bytes.subarray(start, start + ((end - start + 1) >> 1)));
      return void res.end(bytes.subarray(start, end + 1));
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(bytes.length) });
    if (stall) return void res.write(bytes.subarray(0, bytes.length >> 1));
    if (!range && opts.dropMidFile?.includes(repoPath)) {
      res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.end(bytes);
  });

  const hub = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    log('hub', req, path);
    const renamed = rename(path);
    if (renamed) return void res.writeHead(307, { Location: renamed + url.search, 'Content-Type': 'text/plain; charset=utf-8' }).end(`Temporary Redirect. Redirecting to ${renamed}`);
    let m = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(path);
    if (m) return modelInfo(res, m[1]!, m[2]!);
    m = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(path);
    if (m) return tree(res, m[1]!, m[2]!, url);
    m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (m) return resolve(req, res, m[1]!, m[2]!, m[3]!);
    notFound(res, 'RepoNotFound', 'Repository not found');
  });

  function rename(path: string): string | null {
    for (const [old, now] of Object.entries(opts.renamed ?? {})) {
      for (const prefix of [`/${old}/`, `/api/models/${old}/`]) if (path.startsWith(prefix)) return prefix.replace(old, now) + path.slice(prefix.length);
    }
    return null;
  }

  /** The repo's commit for `rev` (its commit or main), or null after answering 404. */
  function commitOf(res: ServerResponse, repo: string, rev: string): string | null {
    const r = opts.repos[repo];
    if (!r) { notFound(res, 'RepoNotFound', 'Repository not found'); return null; }
    if (rev !== 'main' && rev !== r.commit) { notFound(res, 'RevisionNotFound', `Invalid rev id: ${rev}`); return null; }
    return r.commit;
  }

  function modelInfo(res: ServerResponse, repo: string, rev: string): void {
    const commit = commitOf(res, repo, rev);
    if (!commit) return;
    json(res, { _id: commit.slice(0, 24), id: repo, modelId: repo, sha: commit, private: false, gated: false, downloads: 0, likes: 0, lastModified: '2025-04-01T00:00:00.000Z', pipeline_tag: null });
  }

  function tree(res: ServerResponse, repo: string, rev: string, url: URL): void {
    if (!commitOf(res, repo, rev)) return;
    const entries: object[] = [];
    const dirs = new Set<string>();
    for (const path of Object.keys(opts.repos[repo]!.files).sort()) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) {
        const d = parts.slice(0, i).join('/');
        if (!dirs.has(d)) { dirs.add(d); entries.push({ type: 'directory', oid: createHash('sha1').update(d).digest('hex'), size: 0, path: d }); }
      }
      const b = blob(repo, path)!;
      entries.push({
        type: 'file', oid: b.gitOid, size: b.lfs ? 134 : b.bytes.length, path,
        ...(b.lfs ? { lfs: { oid: b.sha256, size: b.bytes.length, pointerSize: 134 } } : {}),
      });
    }
    const size = opts.pageSize ?? 1000;
    const from = Number(url.searchParams.get('cursor') ?? 0);
    const page = entries.slice(from, from + size);
    const headers: Record<string, string> = {};
    if (from + size < entries.length) {
      const next = new URL(url.href.replace('http://x', hubHost));
      next.searchParams.set('cursor', String(from + size));
      headers.Link = `<${next.href}>; rel="next"`;
    }
    json(res, page, headers);
  }

  function resolve(req: IncomingMessage, res: ServerResponse, repo: string, rev: string, path: string): void {
    const commit = commitOf(res, repo, rev);
    if (!commit) return;
    const b = blob(repo, path);
    if (!b) return notFound(res, 'EntryNotFound', `Entry not found`, { 'X-Repo-Commit': commit });
    const common = { 'X-Repo-Commit': commit, 'Access-Control-Expose-Headers': 'X-Repo-Commit,X-Linked-Etag,X-Linked-Size,ETag,Link', Vary: 'Origin, Accept-Encoding' };
    if (b.lfs) {
      const location = `${cdnHost}/repos/${b.sha256.slice(0, 2)}/${b.sha256.slice(2, 4)}/${b.sha256}?Expires=9999999999&Signature=fixture&Key-Pair-Id=K0`;
      const body = `Found. Redirecting to ${location}`;
      res.writeHead(302, { ...common, Location: location, ETag: `"${b.sha256}"`, 'X-Linked-Etag': `"${b.sha256}"`, 'X-Linked-Size': String(b.bytes.length), 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) });
      return void res.end(req.method === 'HEAD' ? undefined : body);
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const type = path.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), b.bytes.length - 1) : b.bytes.length - 1;
      res.writeHead(206, { ...common, ETag: `"${b.gitOid}"`, 'Content-Type': type, 'Content-Range': `bytes ${start}-${end}/${b.bytes.length}`, 'Content-Length': String(end - start + 1) });
      return void res.end(b.bytes.subarray(start, end + 1));
    }
    // Like the real hub: small files gzip-compressed for clients that accept it, with the compressed length.
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? gzipSync(b.bytes) : b.bytes;
    res.writeHead(200, { ...common, ETag: `${gzip ? 'W/' : ''}"${b.gitOid}"`, 'Content-Type': type, 'Content-Length': String(body.length), ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function notFound(res: ServerResponse, code: string, message: string, extra: Record<string, string> = {}): void {
    res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8', 'X-Error-Code': code, 'X-Error-Message': message, ...extra }).end(JSON.stringify({ error: message }));
  }

  const hubHost = await listen(hub);
  const cdnHost = await listen(cdn);
  return { host: hubHost, cdnHost, requests, close: async () => { await closeServer(hub); await closeServer(cdn); } };
}

function json(res: ServerResponse, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...headers }).end(body);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port that refuses connections: bound once, then released. */
export async function closedPortHost(): Promise<string> {
  const server = createServer();
  const host = await listen(server);
  await closeServer(server);
  return host;
}
