// The real WordPiece tokenizer from ../shared (offline), as the chunker's TokenCounter.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer, env } from '@huggingface/transformers';
import type { TokenCounter } from '../../core/ingest/chunk.js';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const tokenizersDir = resolve(projectRoot, '..', 'shared', 'models', 'tokenizers');

/** null when the shared tokenizer is absent (the only reason chunker tests may skip). */
export async function loadBertCounter(): Promise<TokenCounter | null> {
  if (!existsSync(resolve(tokenizersDir, 'bert-base-uncased', 'tokenizer.json'))) return null;
  env.allowRemoteModels = false;
  env.localModelPath = tokenizersDir + '/';
  const tok = await AutoTokenizer.from_pretrained('bert-base-uncased');
  return { count: (text: string) => tok.encode(text, { add_special_tokens: false }).length };
}
