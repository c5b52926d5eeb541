import type { StageName } from '../../../core/contract/api.js';

/** Pipeline order of the latency stages (tests import this too). */
export const STAGE_ORDER = [
  'rewrite', 'embedQuery', 'faiss', 'bm25', 'fuse', 'bi', 'cross', 'fusion', 'prompt', 'llmFirstToken', 'llmTotal',
] as const satisfies readonly StageName[];
// Fails to compile if a stage is added to the contract but not to the order above.
type Missing = Exclude<StageName, (typeof STAGE_ORDER)[number]>;
const exhaustive: Missing extends never ? true : never = true;
void exhaustive;
