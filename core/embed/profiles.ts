// What the embedder and cross-encoder need to know about a model beyond its weights.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ModelProfile {
  id: string;
  role: 'embedder' | 'cross-encoder';
  /** Hugging Face repo to download from when the user asks. */
  hubRepo?: string;
  pooling: 'mean' | 'cls';
  normalize: boolean;
  maxLength: number;
  queryPrefix: string;
  passagePrefix: string;
}

export const KNOWN_PROFILES: Record<string, ModelProfile> = {
  'multilingual-e5-small': {
    id: 'multilingual-e5-small', role: 'embedder', hubRepo: 'intfloat/multilingual-e5-small',
    pooling: 'mean', normalize: true, maxLength: 512, queryPrefix: 'query: ', passagePrefix: 'passage: ',
  },
  'all-MiniLM-L6-v2': {
    id: 'all-MiniLM-L6-v2', role: 'embedder', hubRepo: 'sentence-transformers/all-MiniLM-L6-v2',
    pooling: 'mean', normalize: true, maxLength: 256, queryPrefix: '', passagePrefix: '',
  },
  'ms-marco-MiniLM-L-6-v2': {
    id: 'ms-marco-MiniLM-L-6-v2', role: 'cross-encoder', hubRepo: 'cross-encoder/ms-marco-MiniLM-L-6-v2',
    pooling: 'cls', normalize: false, maxLength: 512, queryPrefix: '', passagePrefix: '',
  },
};

/**
 * The profile for a model folder: a known id, else `localrag-model.json`'s "profile" field, else BERT defaults
 * (mean pooling, normalised, no prefixes) with max length from config.json.
 */
export function profileFor(id: string, dir: string, role: ModelProfile['role']): ModelProfile {
  const known = KNOWN_PROFILES[id];
  const marker = readJson(join(dir, 'localrag-model.json'));
  const config = readJson(join(dir, 'config.json'));
  const maxLength = Math.min(Number(config?.max_position_embeddings ?? 512), 512);
  const base: ModelProfile = known ?? {
    id, role, pooling: role === 'embedder' ? 'mean' : 'cls', normalize: role === 'embedder', maxLength,
    queryPrefix: '', passagePrefix: '',
  };
  return { ...base, ...(marker?.profile ?? {}), id, role };
}

function readJson(path: string): Record<string, any> | null {
  if (!existsSync(path)) return null;
  try { return JSON.parse(readFileSync(path, 'utf8')); } catch { return null; }
}
