// localrag ask "<question>": the answer streamed to stdout, then its citations and the per-stage timing table.
// Exit status 3 when the LLM could not answer (the sources are still printed, with the reason). Ctrl-C stops the
// answer: what was written, the sources and the timings so far are printed, and the exit status is 130.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Settings } from '../../contract/settings.js';
import { EXIT, parse, printJson, UsageError } from '../args.js';
import { interruptSignal, interrupted } from '../interrupt.js';
import { openEngine } from '../open-engine.js';
import { printTimings } from '../timing-table.js';
import { rerankOptions, rerankParamsFrom } from './search.js';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...rerankOptions, llm: { type: 'string' }, model: { type: 'string' }, host: { type: 'string' } });
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError('ask needs a question: localrag ask "<question>"');
  const overrides: Partial<Settings> = {};
  if (values.llm !== undefined) {
    if (values.llm !== 'ollama' && values.llm !== 'embedded') throw new UsageError('--llm is ollama or embedded');
    overrides.llmBackend = values.llm;
  }
  if (typeof values.host === 'string') overrides.ollamaHost = values.host;
  const engine = await openEngine(values, overrides);
  try {
    if (typeof values.model === 'string') {
      const backend = (await engine.getSettings()).llmBackend;
      await engine.overrideSettings(backend === 'embedded' ? { embeddedModelPath: resolve(values.model) } : { ollamaModel: values.model });
    }
    const requestId = randomUUID();
    const unsubscribe = engine.subscribe((event, payload) => {
      if (event === 'onAnswerToken' && !values.json) process.stdout.write((payload as { token: string }).token);
    });
    const result = await engine.ask({ requestId, question, params: rerankParamsFrom(values) }, interruptSignal());
    unsubscribe();
    if (values.json) {
      printJson(result);
    } else {
      if (result.status !== 'ok') console.log(result.status === 'cancelled' ? '\n[cancelled]' : `answer unavailable: ${result.error?.message ?? 'unknown reason'}${result.error?.action ? ` ${result.error.action}` : ''}`);
      console.log('\n\nSources:');
      result.sources.forEach((c, i) => {
        const cited = result.citations.some((x) => x.valid && x.n === i + 1) ? '*' : ' ';
        console.log(`${cited}[${i + 1}] ${c.path}${c.page ? ` p.${c.page}` : ''}${c.headingPath.length ? ` > ${c.headingPath.join(' > ')}` : ''} (chars ${c.charStart}-${c.charEnd})`);
      });
      const invalid = result.citations.filter((c) => !c.valid).map((c) => `[${c.n}]`);
      if (invalid.length) console.log(`citations that match no passage: ${invalid.join(' ')}`);
      if (result.dropped.length) console.log(`passages left out to fit the context window: ${result.dropped.map((n) => `[${n}]`).join(' ')}`);
      console.log('');
      printTimings(result.timings);
    }
    if (result.status === 'cancelled' && interrupted()) return EXIT.interrupted;
    return result.status === 'unavailable' ? EXIT.answerUnavailable : EXIT.ok;
  } finally {
    await engine.close();
  }
}
