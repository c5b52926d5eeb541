// A real HTTP server on 127.0.0.1 laid out like the Hugging Face Hub (`/<org>/<name>/resolve/main/<file>`), serving
// files from disk with Content-Length, answering the `Range: bytes=0-0` probe transformers uses for metadata with
// 206, 404 for anything it lacks, and, on request, dropping the connection halfway through a file.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHubOptions {
  /** repo ("org/name") -> file path in the repo -> file on disk. */
  repos: Record<string, Record<string, string>>;
  /** Repo file paths whose full GET sends the headers and half the body, then destroys the socket. */
  dropMidFile?: string[];
}

export interface HubRequest {
  method: string;
  path: string;
  range: string | null;
}

export interface FakeHub {
  host: string;
  requests: HubRequest[];
  close(): Promise<void>;
}

export async function startFakeHub(opts: FakeHubOptions): Promise<FakeHub> {
  const requests: HubRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const range = req.headers.range ?? null;
    requests.push({ method: req.method ?? '', path: decodeURIComponent(url.pathname), range });
    const m = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(url.pathname));
    const source = m ? opts.repos[m[1]!]?.[m[2]!] : undefined;
    if (!m || !source) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Entry not found');
      return;
    }
    const size = statSync(source).size;
    if (range === 'bytes=0-0') {
      res.writeHead(206, { 'Content-Length': '1', 'Content-Range': `bytes 0-0/${size}`, 'Accept-Ranges': 'bytes' });
      res.end(readFileSync(source).subarray(0, 1));
      return;
    }
    res.writeHead(200, { 'Content-Length': String(size), 'Content-Type': 'application/octet-stream' });
    if (opts.dropMidFile?.includes(m[2]!)) {
      res.write(readFileSync(source).subarray(0, Math.floor(size / 2)), () => res.socket?.destroy());
      return;
    }
    createReadStream(source).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { host: `http://127.0.0.1:${port}`, requests, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port that refuses connections: bound once, then released. */
export async function closedPortHost(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return `http://127.0.0.1:${port}`;
}
