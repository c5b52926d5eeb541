// Where each bench model really runs on this machine for one provider setting: provider kept, why a GPU was not,
// probe times and the share of nodes per provider (JSON, one line per model). Used by gpu-rerank.sh.
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS, type Settings } from '../../core/contract/settings.js';
import { Embedder } from '../../core/embed/embedder.js';
import { executionReport } from '../../core/embed/execution-report.js';
import { CrossEncoder } from '../../core/rerank/cross-encoder.js';
import { benchModels } from '../bench/corpus.js';

const { values } = parseArgs({ options: { provider: { type: 'string', default: 'auto' } } });
const provider = values.provider as Settings['executionProvider'];
const dirs = await benchModels();
const settings = { ...DEFAULT_SETTINGS, executionProvider: provider, preferQuantized: true };
const cross = await CrossEncoder.load({ id: 'ms-marco-MiniLM-L-6-v2', modelDir: dirs.crossEncoderDir, settings, log: (l) => console.error(l) });
console.log(`PROVIDER_REPORT ${JSON.stringify(executionReport('ms-marco-MiniLM-L-6-v2 (bench shape)', cross.session, provider, cross.batchTokens))}`);
await cross.close();
const embedder = await Embedder.load({ id: 'multilingual-e5-small', modelDir: dirs.embedderDir, settings, log: (l) => console.error(l) });
console.log(`PROVIDER_REPORT ${JSON.stringify(executionReport('multilingual-e5-small (bench shape)', embedder.session, provider))}`);
await embedder.close();
