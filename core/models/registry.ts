// What is installed in the models folder: where a model lives, whether it can load, where it came from, and, when it
// is missing, exactly how to get it. Reads the disk only; never touches the network.
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { AppError, ModelRole, ModelStatus } from '../contract/api.js';
import { isModelName } from '../contract/settings.js';
import { KNOWN_PROFILES } from '../embed/profiles.js';
import { checkFolder, isDir } from './layout.js';
import { markerFiles, provenanceOf, readMarker } from './marker.js';
import { ModelError } from './model-error.js';

/** Staging folders (`<id>.partial`) are never models. */
export const PARTIAL_SUFFIX = '.partial';

const ROLE_LABEL: Record<ModelRole, string> = {
  embedder: 'embedding', 'cross-encoder': 'cross-encoder (reranking)', llm: 'answer (LLM)',
};

/** `<modelsDir>/<id>`, or the id itself when it is an absolute folder path (a setting may point anywhere). */
export function resolveModelDir(modelsDir: string, idOrPath: string): string {
  return isAbsolute(idOrPath) ? resolve(idOrPath) : resolve(modelsDir, idOrPath);
}

/** A model id becomes a folder name: one path segment, no tricks. */
export function isValidModelId(id: string): boolean {
  return isModelName(id) && !id.endsWith(PARTIAL_SUFFIX);
}

export function assertValidModelId(id: string): void {
  if (!isValidModelId(id)) {
    throw new ModelError({
      code: 'invalid-model-id',
      message: `"${id}" cannot be a model name: use letters, digits, '.', '_' or '-' (no slashes).`,
      action: 'Pick another name with --id (in the app: the Name field).',
    });
  }
}

export function modelStatus(modelsDir: string, id: string, role: ModelRole): ModelStatus {
  const path = resolveModelDir(modelsDir, id);
  const check = checkFolder(path);
  const present = check.missing.length === 0;
  const status: ModelStatus = { id, role, present, path };
  const marker = readMarker(path);
  const provenance = provenanceOf(marker);
  if (provenance) status.provenance = provenance;
  if (typeof marker?.revision === 'string') status.revision = marker.revision;
  const files = markerFiles(marker);
  if (files.length) status.files = files.map(({ path: p, size, sha256, repo, repoPath }) => ({ path: p, size, sha256, ...(repo && repoPath ? { source: `${repo}/${repoPath}` } : {}) }));
  if (check.int8) status.quantized = true;
  if (!present) status.howToGet = howToGet(id, role, path, check.missing);
  return status;
}

/** The CLI command and the app path that get this model, with what an existing folder lacks. */
export function howToGet(id: string, role: ModelRole, dir?: string, missing?: string[]): string {
  const lacks = dir && missing?.length && isDir(dir) ? `${dir} lacks ${missing.join(', ')}. ` : '';
  if (role === 'llm') return `${lacks}Answers use Ollama or a GGUF file: choose one in Settings > Answers.`;
  const importHint = (folder: string) =>
    `\`localrag models import ${folder} --role ${role}${isAbsolute(id) ? '' : ` --id ${id}`}\` (in the app: Library > Models > Import)`;
  if (isAbsolute(id)) return `${lacks}Point the setting at a complete Hugging Face ONNX folder, or import one: ${importHint('<folder>')}.`;
  const repo = KNOWN_PROFILES[id]?.hubRepo;
  if (repo) {
    return `${lacks}Download it with \`localrag models download ${id}\` (fetches ${repo}; in the app: Library > Models > Download). ` +
      `Offline, copy the model folder from another machine and run ${importHint('<folder>')}.`;
  }
  return `${lacks}"${id}" is not on localrag's download list; import a Hugging Face ONNX folder with ${importHint('<folder>')}.`;
}

export function missingModelError(id: string, role: ModelRole, modelsDir?: string): AppError {
  const status = modelsDir ? modelStatus(modelsDir, id, role) : null;
  return {
    code: 'model-missing',
    message: `The ${ROLE_LABEL[role]} model "${id}" is not installed.`,
    action: status?.howToGet ?? howToGet(id, role),
  };
}

/** Every model folder under modelsDir (complete or not), with its role from the marker, config or known profile. */
export function listModels(modelsDir: string): ModelStatus[] {
  let names: string[];
  try {
    names = readdirSync(modelsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.endsWith(PARTIAL_SUFFIX))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
  return names.map((id) => modelStatus(modelsDir, id, guessRole(join(modelsDir, id), id)));
}

function guessRole(dir: string, id: string): ModelRole {
  const role = readMarker(dir)?.role;
  if (role === 'embedder' || role === 'cross-encoder') return role;
  const known = KNOWN_PROFILES[id]?.role;
  if (known) return known;
  try {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { architectures?: unknown };
    if (Array.isArray(config.architectures) && config.architectures.some((a) => String(a).endsWith('ForSequenceClassification'))) {
      return 'cross-encoder';
    }
  } catch { /* no readable config: the folder is incomplete anyway */ }
  return 'embedder';
}
