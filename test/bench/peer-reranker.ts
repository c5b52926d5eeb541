// The peer users already run: AnythingLLM's native reranker (server/utils/EmbeddingRerankers/native), which loads a
// cross-encoder folder with transformers.js (AutoTokenizer + AutoModelForSequenceClassification, ORT's default
// session options), tokenises every (query, passage) pair into one padded, truncated batch, runs it once and takes
// sigmoid(logit). Here it loads the same model folder as ours, so the comparison is per pair on the same file.
import { basename, dirname, resolve } from 'node:path';
import { AutoModelForSequenceClassification, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';

export interface PeerReranker {
  dtype: 'q8' | 'fp32';
  /** Relevance in (0, 1) per passage, in input order. */
  score(query: string, passages: string[]): Promise<number[]>;
}

export async function loadPeerReranker(modelDir: string, dtype: PeerReranker['dtype']): Promise<PeerReranker> {
  const dir = resolve(modelDir);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(dir) + '/';
  const tokenizer: PreTrainedTokenizer = await AutoTokenizer.from_pretrained(basename(dir), { local_files_only: true });
  const model: PreTrainedModel = await AutoModelForSequenceClassification.from_pretrained(basename(dir), { local_files_only: true, dtype });
  return {
    dtype,
    async score(query, passages) {
      const inputs = tokenizer(new Array(passages.length).fill(query), { text_pair: passages, padding: true, truncation: true });
      const { logits } = await model(inputs);
      return (logits.sigmoid().tolist() as number[][]).map(([s]) => s!);
    },
  };
}
