// localrag: the engine from a terminal. Commands and their --json output are a stable interface for scripts.
import { EXIT, UsageError } from './args.js';
import { interrupted } from './interrupt.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  index: { summary: 'index <folder...>          add folders and index them (incremental)', load: () => import('./commands/index.js') },
  search: { summary: 'search "<question>"        retrieve and rerank; --mode none|bi|cross|mixlm --alpha A --top-n N', load: () => import('./commands/search.js') },
  ask: { summary: 'ask "<question>"           answer with citations; --llm ollama|embedded --model M', load: () => import('./commands/ask.js') },
  eval: { summary: 'eval <collection-dir>      metrics per mode; --grid for the N x alpha grid', load: () => import('./commands/eval.js') },
  bench: { summary: 'bench index|query|rerank   run a benchmark (same as npm run bench:<name>)', load: () => import('./commands/bench.js') },
  serve: { summary: 'serve [--port P]           the app in a browser, on 127.0.0.1 only', load: () => import('./commands/serve.js') },
  models: { summary: 'models list|download|import|synth   manage the ONNX models', load: () => import('./commands/models.js') },
  status: { summary: 'status                     folders, counts, models, LLM', load: () => import('./commands/status.js') },
};

function usage(): string {
  return ['usage: localrag <command> [options]', '', ...Object.values(COMMANDS).map((c) => `  ${c.summary}`), '',
    'common options: --store <dir> --models <dir> --json --provider auto|cpu|cuda|dml|coreml --embedder <id> --cross-encoder <id>'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}" (try: ${Object.keys(COMMANDS).join(', ')})`);
  return (await command.load()).run(rest);
}

// `localrag search ... | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); else throw err; });

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    const e = err as Error & { appError?: { message: string; action?: string } };
    const line = e.appError ? `${e.appError.message}${e.appError.action ? ` ${e.appError.action}` : ''}` : e.message;
    process.stderr.write(`localrag: ${line.split('\n')[0]}\n`);
    if (process.env.LOCALRAG_DEBUG) console.error(err);
    // Work stopped by Ctrl-C (a search, a download, an evaluation) ends like every interrupted command: 130.
    process.exitCode = err instanceof UsageError ? EXIT.usage : interrupted() ? EXIT.interrupted : EXIT.error;
  },
);
