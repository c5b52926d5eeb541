// localrag-model.json: where a model folder's weights came from. The synthesiser writes its own marker (synthesised:
// true, plus shape details); download and import write a small one. Other fields (e.g. "profile") are kept as found.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelRole } from '../contract/api.js';
import { MARKER_FILE } from './layout.js';

export const SYNTH_PROVENANCE = 'synthesised (random weights: relevance is meaningless)';

export interface ModelMarker {
  synthesised?: boolean;
  source?: 'hub' | 'import';
  /** Hub repo for downloads, e.g. intfloat/multilingual-e5-small. */
  repo?: string;
  hubHost?: string;
  /** Absolute source folder for imports. */
  folder?: string;
  role?: ModelRole | string;
  at?: string;
  /** The commit every file was downloaded at. */
  revision?: string;
  /** Each file as verified at download: the fingerprint reuses these sums instead of re-reading 500 MB. */
  files?: MarkerFile[] | string[];
  [key: string]: unknown;
}

export interface MarkerFile {
  /** Path in the model folder. */
  path: string;
  size: number;
  sha256: string;
  /** The repo and path it came from (int8 files keep their repo name there). */
  repo?: string;
  repoPath?: string;
}

/** The verified files of a marker (older markers list bare paths: nothing verified). */
export function markerFiles(marker: ModelMarker | null): MarkerFile[] {
  const files = marker?.files;
  if (!Array.isArray(files)) return [];
  return files.filter((f): f is MarkerFile => typeof f === 'object' && f !== null && typeof (f as MarkerFile).sha256 === 'string');
}

export function readMarker(dir: string): ModelMarker | null {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dir, MARKER_FILE), 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value as ModelMarker : null;
  } catch {
    return null;
  }
}

export async function writeMarker(dir: string, marker: ModelMarker): Promise<void> {
  await writeFile(join(dir, MARKER_FILE), JSON.stringify(marker, null, 2) + '\n');
}

/** One phrase for the UI; undefined when the folder was put there by hand. */
export function provenanceOf(marker: ModelMarker | null): string | undefined {
  if (!marker) return undefined;
  if (marker.synthesised === true) return SYNTH_PROVENANCE;
  if (marker.source === 'hub' && marker.repo) return `downloaded from ${marker.repo}`;
  if (marker.source === 'import' && marker.folder) return `imported from ${marker.folder}`;
  return undefined;
}
