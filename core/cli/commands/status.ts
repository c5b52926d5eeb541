// localrag status: what is indexed, which models are present, and whether the LLM answers.
import { EXIT, parse, printJson } from '../args.js';
import { describeError } from '../messages.js';
import { openEngine } from '../open-engine.js';
import { COMMANDS } from '../usage.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, COMMANDS.status!.options, COMMANDS.status);
  const engine = await openEngine(values, {}, { access: 'read' });
  try {
    const s = await engine.getStatus();
    if (values.json) { printJson(s); return EXIT.ok; }
    console.log(`store ${s.storeDir}\nmodels ${s.modelsDir}\nfolders: ${s.folders.join(', ') || '(none)'}`);
    console.log(`${s.documents} documents, ${s.chunks} chunks, ${s.vectors} vectors`);
    if (s.vectorState === 'stale') console.log('vectors: made by another embedder or other weights; the next `localrag index` re-embeds every chunk');
    if (s.vectorState === 're-embedding') console.log(`vectors: re-embedding for a new embedder, ${s.chunksWithoutVectors ?? 0} chunks left (run \`localrag index\` to continue)`);
    for (const m of s.models) console.log(`${m.role} ${m.id}: ${m.present ? `present${m.provenance ? ` (${m.provenance})` : ''}` : `MISSING - ${m.howToGet ?? ''}`}`);
    for (const [name, state] of [['dense retrieval', s.dense], ['cross-encoder', s.cross], [`llm (${s.llm.backend})`, s.llm]] as const) {
      // The models' actions are on their MISSING lines above; the LLM's says which flag or command fixes it.
      const why = state.status === 'ok' ? '' : state === s.llm ? describeError(state.error) : state.error.message;
      console.log(`${name}: ${state.status === 'ok' ? 'ok' : `${state.status}: ${why}`}`);
    }
    for (const r of [s.execution?.embedder, s.execution?.crossEncoder]) {
      if (r) console.log(`${r.model} runs on ${r.provider} (asked: ${r.requested})${r.fallbackReason ? `: ${r.fallbackReason}` : ''}`);
    }
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
