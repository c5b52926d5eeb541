// The model folder's own tokenizer (Hugging Face tokenizer.json), loaded offline, with the truncation and padding
// rules the embedder and cross-encoder need.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AutoTokenizer, env, PreTrainedTokenizer } from '@huggingface/transformers';
import type { Encoded } from './encoded.js';

export { padBatch, type Encoded } from './encoded.js';

export interface TextTokenizer {
  /** Token count without special tokens: what the chunker measures. */
  count(text: string): number;
  /** One sequence with special tokens, cut to maxLength keeping the closing special token(s). */
  encode(text: string, maxLength: number): Encoded;
  /** A (query, passage) pair; over maxLength only the passage is cut, the query stays whole. */
  encodePair(query: string, passage: string, maxLength: number): Encoded;
  /** Special tokens one sequence carries ([CLS] + [SEP] for BERT). */
  readonly specialTokens: number;
  readonly padId: number;
}

export async function loadTokenizer(modelDir: string): Promise<TextTokenizer> {
  const dir = resolve(modelDir);
  // Some exports ship tokenizer.json alone. AutoTokenizer needs tokenizer_config.json to pick a class (without it
  // it threw a TypeError about tokenizer_class); the generic class runs tokenizer.json's own normaliser,
  // pre-tokenizer and post-processor, which is all the encoding there is.
  if (!existsSync(join(dir, 'tokenizer_config.json'))) {
    return wrap(new PreTrainedTokenizer(JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')), {}));
  }
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(dir) + '/';
  const tok = await AutoTokenizer.from_pretrained(basename(dir), { local_files_only: true });
  return wrap(tok);
}

function wrap(tok: PreTrainedTokenizer): TextTokenizer {
  const plain = (text: string) => tok.encode(text, { add_special_tokens: false });
  const single = (text: string) => tok.encode(text, { add_special_tokens: true });
  const specialTokens = single('').length;
  // How many special tokens follow the passage in a pair (1 for BERT's [SEP], 1 for XLM-R's </s>).
  const probe = tok.encode('a', { text_pair: 'b', add_special_tokens: true });
  const bId = plain('b')[0];
  const pairTail = probe.length - 1 - probe.lastIndexOf(bId!);

  return {
    specialTokens,
    padId: tok.pad_token_id ?? 0,
    count: (text) => plain(text).length,
    encode(text, maxLength) {
      let ids = single(text);
      if (ids.length > maxLength) {
        const tail = specialTokens - (specialTokens > 1 ? 1 : 0);
        ids = [...ids.slice(0, maxLength - tail), ...ids.slice(ids.length - tail)];
      }
      return { ids, typeIds: new Array(ids.length).fill(0) };
    },
    encodePair(query, passage, maxLength) {
      const enc = tok._call(query, { text_pair: passage, add_special_tokens: true, return_tensor: false, return_token_type_ids: true } as never) as unknown as { input_ids: number[]; token_type_ids?: number[] };
      const ids = [...enc.input_ids];
      const typeIds = enc.token_type_ids ? [...enc.token_type_ids] : new Array(ids.length).fill(0);
      const over = ids.length - maxLength;
      if (over > 0) {
        const at = ids.length - pairTail - over;
        ids.splice(at, over);
        typeIds.splice(at, over);
      }
      return { ids, typeIds };
    },
  };
}
