// A minimal EventSource for Node 20 (which has none), so the renderer's own HTTP transport runs in tests: named
// events over node:http, close() ends the stream (like a browser tab going away). Every instance is recorded.
import { request, type ClientRequest } from 'node:http';

type Listener = (e: { data: string }) => void;

export class NodeEventSource {
  static readonly made: NodeEventSource[] = [];
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly req: ClientRequest;
  readonly opened: Promise<void>;
  closed = false;

  constructor(readonly url: string) {
    NodeEventSource.made.push(this);
    let markOpen: () => void = () => {};
    this.opened = new Promise((resolve) => (markOpen = resolve));
    this.req = request(url, { headers: { Accept: 'text/event-stream' } }, (res) => {
      markOpen();
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data !== undefined) for (const l of this.listeners.get(event) ?? []) l({ data });
        }
      });
    });
    this.req.on('error', () => {});
    this.req.end();
  }

  addEventListener(name: string, listener: Listener): void {
    const set = this.listeners.get(name) ?? new Set();
    set.add(listener);
    this.listeners.set(name, set);
  }

  close(): void {
    this.closed = true;
    this.req.destroy();
  }
}

/** Installs it as globalThis.EventSource (the renderer's transport creates it by that name). */
export function installEventSource(): void {
  (globalThis as { EventSource?: unknown }).EventSource = NodeEventSource;
}
