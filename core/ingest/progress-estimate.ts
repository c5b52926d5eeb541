// How far an indexing run is and how long it has left. A run has two kinds of work that go at very different speeds:
// reading files (parse + chunk, or a quick skip when unchanged) and embedding chunks. Each is timed on its own, the
// chunks still to come from unread files are predicted from those read so far, and no estimate is given before
// there is evidence for both (an early "ETA 3 s" from the cheap first files of a 48 s job is worse than none).
import type { IndexProgress } from '../contract/api.js';

export interface Estimate {
  /** Embedding speed (chunks per second of embedding time). */
  chunksPerSecond: number;
  etaSeconds: number | null;
  /** 0..1 by estimated time; never goes backwards within a run. */
  fractionDone: number;
}

type Counts = Pick<IndexProgress, 'filesDone' | 'filesTotal' | 'chunksDone' | 'chunksTotal'>;

export class ProgressEstimate {
  private fileMs = 0;
  private embedMs = 0;
  private embeddedChunks = 0;
  private newChunks = 0;
  private fraction = 0;

  constructor(
    /** Whether chunks are embedded at all (no embedder: files are the only work). */
    private readonly embeds: boolean,
    private readonly now: () => number = () => performance.now(),
    private readonly started: number = now(),
  ) {}

  /** A file was read (or skipped) in `ms`, adding this many chunks still to embed. */
  fileDone(ms: number, chunksAdded: number): void {
    this.fileMs += ms;
    this.newChunks += chunksAdded;
  }

  /** A group of `n` chunks was embedded in `ms`. */
  embedded(ms: number, n: number): void {
    this.embedMs += ms;
    this.embeddedChunks += n;
  }

  estimate(c: Counts): Estimate {
    const chunksPerSecond = this.embedMs > 0 ? this.embeddedChunks / (this.embedMs / 1000) : 0;
    const filesLeft = Math.max(0, c.filesTotal - c.filesDone);
    const perFileMs = c.filesDone > 0 ? this.fileMs / c.filesDone : null;
    // Chunks the unread files will add, at the rate the read ones did.
    const chunksPerFile = c.filesDone > 0 ? this.newChunks / c.filesDone : 0;
    const chunksLeft = this.embeds ? Math.max(0, c.chunksTotal - c.chunksDone) + filesLeft * chunksPerFile : 0;
    let etaSeconds: number | null = null;
    const filesKnown = filesLeft === 0 || perFileMs !== null;
    // Unread files may still bring chunks (the first files read may have had none): their cost is known only once
    // embedding has been timed.
    const chunksKnown = chunksPerSecond > 0 || (chunksLeft === 0 && (!this.embeds || filesLeft === 0));
    if (c.filesTotal > 0 && filesKnown && chunksKnown) {
      etaSeconds = (filesLeft * (perFileMs ?? 0)) / 1000 + (chunksLeft > 0 ? chunksLeft / chunksPerSecond : 0);
    }
    const elapsed = (this.now() - this.started) / 1000;
    const byTime = etaSeconds !== null && elapsed + etaSeconds > 0 ? elapsed / (elapsed + etaSeconds) : null;
    const byFiles = c.filesTotal > 0 ? c.filesDone / c.filesTotal : 0;
    // Files alone overstate progress while embedding is still to come; cap that guess until time can be measured.
    this.fraction = Math.max(this.fraction, Math.min(1, byTime ?? byFiles * (this.embeds ? 0.5 : 1)));
    return { chunksPerSecond, etaSeconds, fractionDone: this.fraction };
  }
}
