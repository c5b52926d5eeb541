// localrag ask "<question>": the answer streamed to stdout, then its citations and the per-stage timing table.
// Exit status 3 when the LLM could not answer (the sources are still printed, with the reason). Ctrl-C stops the
// answer: what was written, the sources and the timings so far are printed, and the exit status is 130.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { ollamaHostUrl } from '../../answer/ollama-host.js';
import type { Settings } from '../../contract/settings.js';
import { EXIT, parse, printJson, settingFlag, storeDirOf, UsageError } from '../args.js';
import { interruptSignal, interrupted } from '../interrupt.js';
import { describeError } from '../messages.js';
import { openEngine } from '../open-engine.js';
import { printTimings } from '../timing-table.js';
import { COMMANDS } from '../usage.js';
import { rerankParamsFrom } from './search.js';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, COMMANDS.ask!.options);
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError('ask needs a question: localrag ask "<question>"');
  const params = rerankParamsFrom(values);
  const overrides: Partial<Settings> = {};
  const llm = settingFlag(values.llm, 'llm', 'llmBackend');
  if (llm !== undefined) overrides.llmBackend = llm;
  const retrieval = settingFlag(values.retrieval, 'retrieval', 'retrieval');
  if (retrieval !== undefined) overrides.retrieval = retrieval;
  // The same forms as OLLAMA_HOST ("host:port", scheme optional), then the setting's own rule: http(s) only.
  if (typeof values.host === 'string') overrides.ollamaHost = settingFlag(ollamaHostUrl(values.host) ?? values.host, 'host', 'ollamaHost');
  // Nothing to answer from: say so before any LLM is asked. A store that is not there is never created (the engine
  // refuses to open it); one with nothing in it is left as it is.
  const empty = `nothing is indexed in ${storeDirOf(values)} yet: run \`localrag index <folder>\` first, or name another store with --store`;
  const engine = await openEngine(values, overrides, { access: 'write' });
  try {
    if (engine.library.folders().length === 0) throw Object.assign(new Error(empty), { code: 'store-empty' });
    if (typeof values.model === 'string') {
      const backend = (await engine.getSettings()).llmBackend;
      await engine.overrideSettings(backend === 'embedded' ? { embeddedModelPath: resolve(values.model) } : { ollamaModel: values.model });
    }
    const requestId = randomUUID();
    const unsubscribe = engine.subscribe((event, payload) => {
      if (event === 'onAnswerToken' && !values.json) process.stdout.write((payload as { token: string }).token);
    });
    const result = await engine.ask({ requestId, question, params }, interruptSignal());
    unsubscribe();
    if (values.json) {
      printJson(result);
    } else {
      if (result.status === 'cancelled') console.log('\n[cancelled]');
      else if (result.status !== 'ok') {
        const why = result.error ? describeError(result.error) : 'unknown reason';
        console.log(result.text ? `\n[answer incomplete: ${why}]` : `answer unavailable: ${why}`);
      }
      console.log('\n\nSources:');
      // Engines that answer an empty search themselves (code store-empty or no-passages) have said why already.
      if (result.search.candidates.length === 0 && !result.error) {
        const indexed = (await engine.listFiles({ state: 'indexed' })).length;
        console.log(indexed === 0 ? 'none: nothing is indexed yet (see `localrag status`; add files with `localrag index <folder>`)' : 'none: no passage matches the question');
      }
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
    // Nothing indexed is the store's state, not the LLM's failure: the same exit status as the check before asking.
    if (result.error?.code === 'store-empty') return EXIT.error;
    return result.status === 'unavailable' ? EXIT.answerUnavailable : EXIT.ok;
  } finally {
    await engine.close();
  }
}
