// One indexing writer per store, across processes: the holder is named in SQLite (pid, host, heartbeat) and
// others wait for it. SQLite's own locks cover single transactions; this covers a whole run, so two `index`
// processes never embed the same chunks or replace each other's documents mid-run. A holder killed with -9 is
// noticed (its pid is gone, or its heartbeat stops) and the lock is taken over. A holder in this very process (an
// engine thread of serve mode that died and was restarted) is judged by its heartbeat, since its pid lives on.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from './db.js';

const KEY = 'writer_lock';
const HEARTBEAT_MS = 2_000;
/** A holder on another host (a shared folder) whose heartbeat is older than this is considered gone. */
const STALE_MS = 30_000;
const POLL_MS = 150;

export interface LockHolder {
  token: string;
  pid: number;
  host: string;
  purpose: string;
  since: string;
  heartbeat: number;
}

export interface WriterLock {
  release(): void;
}

function alive(h: LockHolder): boolean {
  if (h.host !== hostname() || h.pid === process.pid) return Date.now() - h.heartbeat < STALE_MS;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function read(db: Db): LockHolder | null {
  const raw = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(KEY) as string | undefined;
  if (!raw) return null;
  try { return JSON.parse(raw) as LockHolder; } catch { return null; }
}

const write = (db: Db, h: LockHolder) =>
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(h));

/** Who holds the store's writer lock now (null when nobody does or the holder is gone). */
export function writerLockHolder(db: Db): LockHolder | null {
  const h = read(db);
  return h && alive(h) ? h : null;
}

/**
 * Takes the store's writer lock, waiting while another live process holds it (onWait is called once, with the
 * holder, so the user sees why nothing happens). Re-entrant per engine is not needed: runs are queued in-process.
 */
export async function acquireWriterLock(db: Db, opts: { purpose: string; onWait?: (holder: LockHolder) => void; signal?: AbortSignal }): Promise<WriterLock> {
  const me: LockHolder = { token: randomUUID(), pid: process.pid, host: hostname(), purpose: opts.purpose, since: new Date().toISOString(), heartbeat: Date.now() };
  const tryTake = db.transaction((): LockHolder | null => {
    const h = read(db);
    if (h && alive(h)) return h;
    write(db, { ...me, heartbeat: Date.now() });
    return null;
  });
  let told = false;
  for (;;) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
    const holder = tryTake.immediate();
    if (!holder) break;
    if (!told) { told = true; opts.onWait?.(holder); }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const beat = setInterval(() => {
    try {
      db.transaction(() => { if (read(db)?.token === me.token) write(db, { ...me, heartbeat: Date.now() }); }).immediate();
    } catch { /* busy or closed: the next beat tries again */ }
  }, HEARTBEAT_MS);
  beat.unref();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      clearInterval(beat);
      try {
        db.transaction(() => { if (read(db)?.token === me.token) db.prepare('DELETE FROM meta WHERE key = ?').run(KEY); }).immediate();
      } catch { /* the db is gone: a dead holder is taken over anyway */ }
    },
  };
}
