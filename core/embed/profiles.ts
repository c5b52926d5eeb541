// What the embedder and cross-encoder need to know about a model beyond its weights.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUB_SOURCES } from '../models/hub-sources.js';

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
  /**
   * Languages (ISO 639-1) the model was trained for; absent when unknown or broadly multilingual. A cross-encoder
   * fed other languages scores noise, which the search result points out (language-coverage.ts).
   */
  languages?: readonly string[];
}

/** mMARCO: MS MARCO machine-translated into 13 languages, plus the English original. */
export const MMARCO_LANGUAGES = ['en', 'ar', 'zh', 'nl', 'fr', 'de', 'hi', 'id', 'it', 'ja', 'pt', 'ru', 'es', 'vi'] as const;
/** The cross-encoder offered when the chosen one does not cover the language of a question or its passages. */
export const MULTILINGUAL_CROSS_ENCODER = 'mmarco-mMiniLMv2-L12-H384-v1';

const repoOf = (id: string) => HUB_SOURCES[id]?.main.repo;
const msMarco = (id: string): ModelProfile => ({
  id, role: 'cross-encoder', hubRepo: repoOf(id), pooling: 'cls', normalize: false, maxLength: 512,
  queryPrefix: '', passagePrefix: '', languages: ['en'],
});

export const KNOWN_PROFILES: Record<string, ModelProfile> = {
  'multilingual-e5-small': {
    id: 'multilingual-e5-small', role: 'embedder', hubRepo: repoOf('multilingual-e5-small'),
    pooling: 'mean', normalize: true, maxLength: 512, queryPrefix: 'query: ', passagePrefix: 'passage: ',
  },
  'all-MiniLM-L6-v2': {
    id: 'all-MiniLM-L6-v2', role: 'embedder', hubRepo: repoOf('all-MiniLM-L6-v2'),
    pooling: 'mean', normalize: true, maxLength: 256, queryPrefix: '', passagePrefix: '', languages: ['en'],
  },
  // The ms-marco family (MRR@10 on MS MARCO dev as published: L6 39.01, L4 37.70, L2 34.85, TinyBERT-L2 32.56).
  'ms-marco-MiniLM-L-6-v2': msMarco('ms-marco-MiniLM-L-6-v2'),
  'ms-marco-MiniLM-L-4-v2': msMarco('ms-marco-MiniLM-L-4-v2'),
  'ms-marco-MiniLM-L-2-v2': msMarco('ms-marco-MiniLM-L-2-v2'),
  'ms-marco-TinyBERT-L-2-v2': msMarco('ms-marco-TinyBERT-L-2-v2'),
  // Multilingual MiniLMv2 (XLM-R tokenizer) trained on mMARCO; Apache-2.0.
  [MULTILINGUAL_CROSS_ENCODER]: {
    id: MULTILINGUAL_CROSS_ENCODER, role: 'cross-encoder', hubRepo: repoOf(MULTILINGUAL_CROSS_ENCODER),
    pooling: 'cls', normalize: false, maxLength: 512, queryPrefix: '', passagePrefix: '', languages: MMARCO_LANGUAGES,
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
