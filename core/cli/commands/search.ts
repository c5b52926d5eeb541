// localrag search "<question>": retrieval + reranking with the full per-candidate record and per-stage timings.
import type { RerankParams } from '../../contract/api.js';
import { EXIT, num, parse, printJson, UsageError } from '../args.js';
import { interruptSignal } from '../interrupt.js';
import { openEngine } from '../open-engine.js';
import { printTimings } from '../timing-table.js';

export const rerankOptions = {
  mode: { type: 'string' },
  alpha: { type: 'string' },
  'top-n': { type: 'string' },
  'final-k': { type: 'string' },
  k: { type: 'string' },
  norm: { type: 'string' },
} as const;

export function rerankParamsFrom(values: Record<string, unknown>): Partial<RerankParams> {
  const p: Partial<RerankParams> = {};
  if (values.mode !== undefined) p.mode = values.mode as RerankParams['mode'];
  if (values.alpha !== undefined) p.alpha = num(values.alpha, 'alpha');
  if (values['top-n'] !== undefined) p.topN = num(values['top-n'], 'top-n');
  if (values['final-k'] !== undefined) p.finalK = num(values['final-k'], 'final-k');
  if (values.norm !== undefined) p.normalisation = values.norm as RerankParams['normalisation'];
  return p;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, rerankOptions);
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError('search needs a question: localrag search "<question>"');
  const engine = await openEngine(values);
  try {
    const result = await engine.search({ question, params: rerankParamsFrom(values), retrieveK: num(values.k, 'k') }, interruptSignal());
    if (values.json) {
      printJson(result);
      return EXIT.ok;
    }
    if (result.candidates.length === 0) {
      const { documents } = await engine.getStatus();
      console.log(documents === 0 ? 'Nothing is indexed yet: run `localrag index <folder>` first.' : 'No passage matches the question.');
    }
    console.log(`${result.candidates.length} candidates, mode ${result.mode} (alpha ${result.alpha}, N ${result.topN}, ${result.normalisation}), top ${result.top.length}:`);
    for (const c of result.top) {
      const where = `${c.path}${c.page ? ` p.${c.page}` : ''}${c.headingPath.length ? ` > ${c.headingPath.join(' > ')}` : ''}`;
      console.log(`${String(c.rankAfter).padStart(3)}. (was ${c.rankBefore}) ${c.finalScore.toFixed(3)}  ${where}`);
      console.log(`     ${c.text.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
    for (const state of [result.dense, result.cross]) if (state.status !== 'ok') console.log(`note: ${state.error.message} ${state.error.action ?? ''}`);
    printTimings(result.timings);
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
