// Where each model came from. A folder marked synthesised (localrag-model.json {"synthesised": true}) holds random
// weights: its scores rank nothing, and every report must say so.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelRole, RetrievalMode } from '../contract/api.js';

export interface ModelRef {
  role: ModelRole;
  id: string;
  /** The model's folder; null or absent when the model is not installed. */
  dir?: string | null;
  /** What the model registry says (ModelStatus.provenance), e.g. 'hub', 'imported'. */
  provenance?: string;
  /** Hash of the weights, tokenizer and config that were loaded (core/models/fingerprint.ts); null when not loaded. */
  fingerprint?: string | null;
}

export interface ProvenanceInfo {
  /** One line per model, for reports. */
  lines: string[];
  /** Ids of synthesised models. */
  synthesised: string[];
  /** Roles of synthesised models. */
  synthesisedRoles?: ModelRole[];
}

/**
 * What a report must say when random weights were used: which figures mean nothing. A synthesised embedder spoils
 * dense retrieval too, so unless retrieval was BM25 alone even mode none's figures are meaningless.
 */
export function synthesisedWarning(prov: ProvenanceInfo, retrieval: RetrievalMode = 'hybrid'): string | null {
  if (prov.synthesised.length === 0) return null;
  const roles = new Set(prov.synthesisedRoles ?? ['embedder', 'cross-encoder']);
  const parts: string[] = [];
  if (roles.has('embedder')) {
    parts.push(retrieval === 'bm25'
      ? 'bi-encoder and mixlm figures are meaningless; mode none is BM25 alone, so its figures are real'
      : `retrieval is ${retrieval}, so every quality figure is meaningless, mode none included (--retrieval bm25 gives real BM25 figures)`);
  }
  if (roles.has('cross-encoder')) parts.push('cross-encoder and mixlm figures are meaningless');
  return `Synthesised models (random weights) were used (${prov.synthesised.join(', ')}): ${parts.join('; ')}. Latency figures are real.`;
}

function readMarker(dir: string): Record<string, unknown> | null {
  const path = join(dir, 'localrag-model.json');
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function isSynthesisedModel(ref: ModelRef): boolean {
  if (ref.provenance?.toLowerCase().startsWith('synthesised')) return true;
  return ref.dir ? readMarker(ref.dir)?.['synthesised'] === true : false;
}

export function describeProvenance(models: readonly ModelRef[]): ProvenanceInfo {
  const synthesised: string[] = [];
  const synthesisedRoles: ModelRole[] = [];
  const lines = models.map((m) => {
    if (!m.dir && !m.provenance) return `${m.role} ${m.id}: not installed`;
    const where = `${m.dir ? ` at ${m.dir}` : ''}${m.fingerprint ? ` (fingerprint ${m.fingerprint})` : ''}`;
    if (isSynthesisedModel(m)) {
      synthesised.push(m.id);
      synthesisedRoles.push(m.role);
      return `${m.role} ${m.id}: synthesised (random weights: relevance is meaningless)${where}`;
    }
    return `${m.role} ${m.id}: ${m.provenance ?? 'local folder'}${where}`;
  });
  return { lines, synthesised, synthesisedRoles };
}
