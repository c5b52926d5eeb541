// Parsing where it can be stopped: PDF, .docx, Markdown and HTML are parsed in child processes with a V8 heap
// ceiling and a wall-clock limit, so one hostile file is skipped ("took too long", "needs more memory") and indexing
// goes on instead of the engine dying or hanging.
// Why processes, not worker threads: a worker that overruns its heap by more than V8's 16 MB grace in one
// allocation (one big string) aborts the whole process, engine included; a child process only takes itself down.
// Children are kept between files (starting one costs ~50 ms compiled, ~1 s from the TypeScript sources), stopped
// after a quiet spell, and never keep the engine's process alive.
import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { problems } from '../file-problems.js';
import type { ParseBudget } from './budget.js';
import { parseBytes, type Parsed } from './parse-bytes.js';
import { fail, type DocKind } from './types.js';

export interface ParseRequest {
  id: number;
  kind: DocKind | 'sniff';
  bytes: Uint8Array;
  budget: ParseBudget;
}

export interface ParseReply {
  id: number;
  result: Parsed;
  /** The parse process's peak RSS so far, in MiB. */
  peakRssMb: number;
}

/** Idle parse processes are stopped after this long, releasing the parsers' memory. */
const IDLE_MS = 30_000;
/** Parses at once: the indexer parses one file at a time; the passage view may need one more meanwhile. */
const MAX_PROCESSES = 2;
/** A parse process that has not loaded in this long cannot run here. */
const START_TIMEOUT_MS = 60_000;

function startProcess(heapMb: number): ChildProcess {
  const here = import.meta.url;
  const fromSources = here.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSources ? './parse-process.ts' : './parse-process.js', here));
  const execArgv = [`--max-old-space-size=${heapMb}`];
  // From the sources (CLI, tests) the child loads tsx the same way, resolved from here, whatever the cwd.
  if (fromSources) execArgv.push('--import', import.meta.resolve('tsx'));
  // Inside Electron, process.execPath is the app itself: ask it to run as plain Node, not as a second app.
  const env = process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env;
  return fork(entry, [], { execArgv, env, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
}

interface Job {
  kind: DocKind | 'sniff';
  bytes: Uint8Array;
  budget: ParseBudget;
  resolve: (r: Parsed) => void;
}

class Slot {
  readonly child: ChildProcess;
  /** Resolves true once the process has loaded its code, false if it died or errored first. */
  readonly ready: Promise<boolean>;
  busy = false;
  exited = false;
  idleTimer: NodeJS.Timeout | null = null;
  /** The end of its stderr: a V8 out-of-memory abort says so there. */
  stderrTail = '';
  peakRssMb = 0;

  constructor(readonly heapMb: number) {
    this.child = startProcess(heapMb);
    this.child.stderr?.on('data', (d: Buffer) => { this.stderrTail = (this.stderrTail + d.toString()).slice(-4096); });
    this.child.on('exit', () => { this.exited = true; });
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS).unref();
      const done = (ok: boolean): void => { clearTimeout(timer); resolve(ok); };
      this.child.on('message', (m) => { if (m === 'ready') done(true); });
      this.child.once('exit', () => done(false));
      this.child.once('error', () => done(false));
    });
    this.ref(false);
  }

  /** Only a process with a parse in flight keeps the event loop alive, as any awaited I/O does. */
  ref(on: boolean): void {
    const handles = [this.child, this.child.channel, this.child.stderr as Socket | null];
    for (const h of handles) if (h) (on ? h.ref() : h.unref());
  }
}

export class ParseSandbox {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  /** Set when parse processes cannot start here: files are then parsed inline, without a budget. */
  unavailable: string | null = null;
  /** Highest peak RSS any parse process reported, in MiB (for benchmarks). */
  peakRssMb = 0;

  run(kind: DocKind | 'sniff', bytes: Uint8Array, budget: ParseBudget): Promise<Parsed> {
    if (this.unavailable) return parseBytes(kind, Buffer.from(bytes), budget);
    return new Promise((resolve) => {
      this.queue.push({ kind, bytes, budget, resolve });
      this.pump();
    });
  }

  /** Stops every parse process; parses in flight end as failures. */
  close(): void {
    for (const slot of this.slots.splice(0)) this.discard(slot);
  }

  private pump(): void {
    // A process that died while idle (killed from outside) is replaced, never handed a file.
    for (const dead of this.slots.filter((s) => s.exited && !s.busy)) this.discard(dead);
    while (this.queue.length > 0) {
      const job = this.queue[0];
      let slot = this.slots.find((s) => !s.busy && s.heapMb === job.budget.maxHeapMb);
      if (!slot) {
        if (this.slots.length >= MAX_PROCESSES) {
          // An idle process with another heap ceiling makes room; otherwise wait for a busy one.
          const idle = this.slots.find((s) => !s.busy);
          if (!idle) return;
          this.discard(idle);
        }
        slot = new Slot(job.budget.maxHeapMb);
        this.slots.push(slot);
      }
      this.queue.shift();
      slot.busy = true;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.ref(true);
      const chosen = slot;
      void slot.ready.then((ok) => (ok ? this.dispatch(chosen, job) : this.giveUp(chosen, job)));
    }
  }

  private discard(slot: Slot): void {
    const at = this.slots.indexOf(slot);
    if (at !== -1) this.slots.splice(at, 1);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    if (!slot.exited) slot.child.kill('SIGKILL');
  }

  /** Parse processes cannot start here (no fork, tsx missing): parse inline rather than not at all. */
  private giveUp(slot: Slot, job: Job): void {
    this.unavailable = `parse process did not start${slot.stderrTail ? `: ${slot.stderrTail.trim().split('\n').pop()}` : ''}`;
    this.discard(slot);
    for (const j of [job, ...this.queue.splice(0)]) void parseBytes(j.kind, Buffer.from(j.bytes), j.budget).then(j.resolve);
  }

  private dispatch(slot: Slot, job: Job): void {
    const id = ++this.nextId;
    const { child } = slot;
    const what = job.kind === 'sniff' ? 'text' : job.kind;
    let settled = false;
    const finish = (result: Parsed, keepProcess: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('close', onExit);
      slot.busy = false;
      slot.ref(false);
      if (keepProcess) slot.idleTimer = setTimeout(() => this.discard(slot), IDLE_MS).unref();
      else this.discard(slot);
      job.resolve(result);
      this.pump();
    };
    const onMessage = (m: ParseReply | 'ready'): void => {
      if (m === 'ready' || m.id !== id) return;
      slot.peakRssMb = m.peakRssMb;
      this.peakRssMb = Math.max(this.peakRssMb, m.peakRssMb);
      finish(m.result, true);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      // V8 aborts (SIGABRT) when the heap ceiling is reached and says so on stderr.
      if (/heap out of memory|heap limit/i.test(slot.stderrTail) || signal === 'SIGABRT') {
        return finish(fail(problems.parseMemoryLimit(slot.heapMb)), false);
      }
      finish(fail(problems.parseError(what, `the parser stopped (${signal ?? `exit code ${code}`})`)), false);
    };
    const seconds = Number((job.budget.timeoutMs / 1000).toFixed(job.budget.timeoutMs < 10_000 ? 1 : 0));
    const timer = setTimeout(() => finish(fail(problems.parseTimeout(seconds)), false), job.budget.timeoutMs);
    child.on('message', onMessage);
    // 'close', not 'exit': it comes after stderr is drained, so an out-of-memory message is there to read.
    child.on('close', onExit);
    if (slot.exited) return onExit(child.exitCode, child.signalCode);
    try {
      child.send({ id, kind: job.kind, bytes: job.bytes, budget: job.budget } satisfies ParseRequest);
    } catch {
      onExit(child.exitCode, child.signalCode); // the channel closed under us: the process is gone
    }
  }
}

/** The process's sandbox: one set of warm parse processes for every caller. */
export const parseSandbox = new ParseSandbox();
