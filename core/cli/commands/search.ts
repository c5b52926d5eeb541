// localrag search "<question>": retrieval + reranking with the full per-candidate record and per-stage timings.
import type { RerankParams } from '../../contract/api.js';
import { EXIT, parse, printJson, settingFlag, UsageError, type CliValues } from '../args.js';
import { describeError } from '../messages.js';
import { interruptSignal } from '../interrupt.js';
import { openEngine } from '../open-engine.js';
import { printTimings } from '../timing-table.js';
import { COMMANDS, RERANK_OPTIONS } from '../usage.js';

export const rerankOptions = RERANK_OPTIONS;

/** The rerank flags, each checked by the rule of the setting it overrides (a bad one is a usage error). */
export function rerankParamsFrom(values: CliValues): Partial<RerankParams> {
  const p: Partial<RerankParams> = {};
  const mode = settingFlag(values.mode, 'mode', 'rerankMode');
  const alpha = settingFlag(values.alpha, 'alpha', 'alpha');
  const topN = settingFlag(values['top-n'], 'top-n', 'topN');
  const finalK = settingFlag(values['final-k'], 'final-k', 'finalK');
  const normalisation = settingFlag(values.norm, 'norm', 'normalisation');
  if (mode !== undefined) p.mode = mode;
  if (alpha !== undefined) p.alpha = alpha;
  if (topN !== undefined) p.topN = topN;
  if (finalK !== undefined) p.finalK = finalK;
  if (normalisation !== undefined) p.normalisation = normalisation;
  return p;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, COMMANDS.search!.options);
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError('search needs a question: localrag search "<question>"');
  const params = rerankParamsFrom(values);
  const retrieveK = settingFlag(values.k, 'k', 'retrieveK');
  const retrieval = settingFlag(values.retrieval, 'retrieval', 'retrieval');
  const engine = await openEngine(values, retrieval ? { retrieval } : {}, { access: 'read' });
  try {
    const result = await engine.search({ question, params, retrieveK }, interruptSignal());
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
    for (const state of [result.dense, result.cross]) if (state.status !== 'ok') console.log(`note: ${describeError(state.error)}`);
    printTimings(result.timings);
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
