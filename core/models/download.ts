// Downloading a known model from the Hugging Face Hub (or a mirror) into `<modelsDir>/<id>/`, only when the user
// asks. The plan comes from the repo listing at a pinned commit (hub.ts); the files come one at a time, resumable
// and checked against the listing's checksums (fetch-file.ts); the folder is installed only when every file is
// verified (staging.ts), with a marker recording commit, source and sha256 of each file.
//
// Why not transformers' or @huggingface/hub's own downloaders: transformers 4.3.1 exports no file getter and caches
// under <cacheDir>/<repo>/<file>, and @huggingface/hub's downloadFile neither resumes with Range nor verifies; both
// would need a second copy of a 500 MB file out of their cache. Their listing (hub.ts) is what we use.
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DownloadProgress, ModelStatus } from '../contract/api.js';
import { DEFAULT_SETTINGS } from '../contract/settings.js';
import { KNOWN_PROFILES } from '../embed/profiles.js';
import { cpuFeatures, cpuMeets, describeCpu, type CpuFeatures } from './cpu.js';
import { fetchVerified, type FileJob } from './fetch-file.js';
import { fileNotFound, hubFetch, hubFileUrl, listRepo, type HubFetch, type HubTarget, type RepoListing } from './hub.js';
import { HUB_SOURCES, INT8_LOCAL, type HubSource } from './hub-sources.js';
import { writeMarker, type MarkerFile } from './marker.js';
import { appErrorOf, ModelError } from './model-error.js';
import { assertValidModelId, modelStatus } from './registry.js';
import { installStaged } from './staging.js';

export interface DownloadOptions {
  modelsDir: string;
  /** A model id with a hub source in HUB_SOURCES. */
  id: string;
  /** Settings.hubHost; https://huggingface.co when absent. */
  hubHost?: string;
  onProgress?: (p: DownloadProgress) => void;
  /** Cancels the download; nothing is installed, what arrived is kept for the next attempt. */
  signal?: AbortSignal;
  /** A stalled connection counts as interrupted after this long without a byte (default 60 s). */
  idleTimeoutMs?: number;
  /** The CPU whose int8 file to take (tests); the machine's own by default. */
  cpu?: CpuFeatures;
  /** The fetch to use (tests); the global one by default. */
  fetch?: HubFetch;
  /** Another source for this id (tests of renames and missing files); HUB_SOURCES[id] by default. */
  source?: HubSource;
}

/** The `file` of the last event, which has done: true and the byte totals of the whole download. */
export const ALL_FILES = 'all files';
/** Written in the staging folder: what the files there belong to, so a resume never mixes two commits. */
const PLAN_FILE = '.localrag-plan.json';

interface PlannedFile extends FileJob {
  local: string;
  repo: string;
  repoPath: string;
  revision: string;
}

export async function downloadModel(opts: DownloadOptions): Promise<ModelStatus> {
  const profile = KNOWN_PROFILES[opts.id];
  const source = opts.source ?? HUB_SOURCES[opts.id];
  if (!profile || !source) throw unknownModel(opts.id);
  assertValidModelId(opts.id);
  const target: HubTarget = { host: opts.hubHost ?? DEFAULT_SETTINGS.hubHost, id: opts.id, role: profile.role };
  const f = hubFetch(opts.fetch ?? fetch);
  const cpu = opts.cpu ?? cpuFeatures();
  const progress = new Progress((p) => opts.onProgress?.({ modelId: opts.id, ...p }));
  try {
    await installStaged(opts.modelsDir, opts.id, async (staging) => {
      const { files, notes, int8 } = await plan(target, source, cpu, staging, f);
      for (const note of notes) progress.note(note);
      progress.start(files.reduce((s, x) => s + x.expect.size, 0));
      await keepOnlyThisPlan(staging, files);
      const recorded: MarkerFile[] = [];
      for (const file of files) {
        progress.file(file.local, file.expect.size);
        const sha256 = await fetchVerified(file, {
          target, fetch: f, signal: opts.signal, idleTimeoutMs: opts.idleTimeoutMs,
          onBytes: (n, resumed) => progress.bytes(file.local, n, resumed),
        });
        progress.fileDone(file.local);
        recorded.push({ path: file.local, size: file.expect.size, sha256, repo: file.repo, repoPath: file.repoPath });
      }
      await rm(join(staging, PLAN_FILE), { force: true });
      const main = files[0]!;
      await writeMarker(staging, {
        source: 'hub', repo: main.repo, hubHost: target.host, revision: main.revision, role: profile.role,
        files: recorded, int8: int8 ?? 'none for this CPU', cpu: describeCpu(cpu), at: new Date().toISOString(),
      });
    }, { resume: true });
  } catch (err) {
    progress.failed(err);
    throw err;
  }
  progress.finished();
  return modelStatus(opts.modelsDir, opts.id, profile.role);
}

/** Which repo file becomes which folder file, small files first so a bad repo fails before the big download. */
async function plan(target: HubTarget, source: HubSource, cpu: CpuFeatures, staging: string, f: HubFetch): Promise<{ files: PlannedFile[]; notes: string[]; int8: string | null }> {
  const main = await listRepo(target, source.main, f);
  const notes: string[] = [];
  if (main.repo !== source.main.repo) notes.push(`${source.main.repo} was renamed to ${main.repo} on ${target.host}; downloading from there.`);
  let alt: RepoListing | null = null;
  const listing = async (isAlt: boolean) => {
    if (!isAlt) return main;
    alt ??= source.alt ? await listRepo(target, source.alt, f) : null;
    return alt;
  };
  const job = (l: RepoListing, local: string, repoPath: string): PlannedFile => ({
    local, repo: l.repo, repoPath, revision: l.revision, label: repoPath === local ? local : `${local} (${l.repo}/${repoPath})`,
    url: hubFileUrl(target.host, l.repo, l.revision, repoPath), dest: join(staging, local), expect: l.files.get(repoPath)!,
  });
  const files: PlannedFile[] = [];
  for (const [local, repoPath] of Object.entries(source.files)) {
    if (!main.files.has(repoPath)) throw fileNotFound(target, main.repo, main.revision, repoPath);
    files.push(job(main, local, repoPath));
  }
  for (const [local, repoPath] of Object.entries(source.optional)) if (main.files.has(repoPath)) files.push(job(main, local, repoPath));
  // Only the listings of repos a candidate for this CPU needs are fetched.
  let int8: string | null = null;
  for (const c of source.int8) {
    const l = cpuMeets(cpu, c.needs) ? await listing(!!c.alt) : null;
    if (l?.files.has(c.path)) {
      files.push(job(l, INT8_LOCAL, c.path));
      int8 = `${l.repo}/${c.path} (for ${c.needs === 'any' ? 'any CPU' : c.needs})`;
      break;
    }
  }
  if (!int8) notes.push(`No int8 file of "${target.id}" suits this CPU (${describeCpu(cpu)}); it runs in fp32.`);
  files.sort((a, b) => a.expect.size - b.expect.size);
  return { files, notes, int8 };
}

/** A staging folder left by an attempt at another commit or file set starts over; the same plan resumes. */
async function keepOnlyThisPlan(staging: string, files: PlannedFile[]): Promise<void> {
  const planText = JSON.stringify(files.map((x) => [x.local, x.repo, x.revision, x.repoPath, x.expect]));
  let previous = '';
  try { previous = readFileSync(join(staging, PLAN_FILE), 'utf8'); } catch { /* first attempt */ }
  if (previous !== planText) {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, PLAN_FILE), planText);
  }
}

/** Per-file and overall progress: bytes, speed over this attempt's bytes (resumed ones excluded) and time left. */
class Progress {
  private total = 0;
  private loaded = 0;
  private resumed = 0;
  private readonly t0 = performance.now();
  private lastEmit = 0;
  private current = { file: '', loaded: 0, total: 0 };

  constructor(private readonly emit: (p: Omit<DownloadProgress, 'modelId'>) => void) {}

  start(total: number): void { this.total = total; }
  note(text: string): void { this.emit({ file: ALL_FILES, loaded: this.loaded, total: this.total || null, done: false, note: text }); }

  file(file: string, total: number): void {
    this.current = { file, loaded: 0, total };
    this.send(true);
  }

  bytes(file: string, n: number, resumed: boolean): void {
    this.current.loaded += n;
    this.loaded += n;
    if (resumed) this.resumed += n;
    const step = Math.max(64 * 1024, this.current.total / 100);
    if (resumed || performance.now() - this.lastEmit > 250 || n >= step) this.send(false);
    void file;
  }

  fileDone(file: string): void { void file; this.send(true); }

  finished(): void { this.emit({ file: ALL_FILES, loaded: this.loaded, total: this.loaded, done: true, overall: this.overall() }); }
  failed(err: unknown): void {
    this.emit({ file: ALL_FILES, loaded: this.loaded, total: this.total || null, done: true, error: appErrorOf(err), overall: this.overall() });
  }

  private send(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < 100 && this.current.loaded < this.current.total) return;
    this.lastEmit = now;
    this.emit({ file: this.current.file, loaded: this.current.loaded, total: this.current.total, done: false, overall: this.overall() });
  }

  private overall(): NonNullable<DownloadProgress['overall']> {
    const seconds = (performance.now() - this.t0) / 1000;
    const fresh = this.loaded - this.resumed;
    const bytesPerSecond = seconds > 0.5 && fresh > 0 ? fresh / seconds : null;
    const etaSeconds = bytesPerSecond ? Math.max(0, (this.total - this.loaded) / bytesPerSecond) : null;
    return { loaded: this.loaded, total: this.total, resumed: this.resumed, bytesPerSecond, etaSeconds };
  }
}

function unknownModel(id: string): ModelError {
  const known = Object.keys(HUB_SOURCES);
  return new ModelError({
    code: 'model-unknown',
    message: `localrag does not know where to download "${id}" from (it can download: ${known.join(', ')}).`,
    action: 'Import a local Hugging Face ONNX folder instead: `localrag models import <folder> --role embedder|cross-encoder' +
      `${/^[\w.-]+$/.test(id) ? ` --id ${id}` : ''}\` (Library > Models > Import).`,
    params: { id, known: known.join(', ') },
  });
}
