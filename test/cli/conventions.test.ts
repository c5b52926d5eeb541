// The localrag command follows the conventions people expect of a CLI: --help prints and touches nothing, --version,
// bad values exit 2 naming the flag and what it allows, faults in the command line's own words, OLLAMA_HOST as Ollama
// reads it, diagnostics only with --verbose. Every case runs the real bin as a child process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SETTINGS } from '../../core/contract/settings.js';
import { EXECUTION_PROVIDERS, LLM_BACKENDS, NORMALISATIONS, RERANK_MODES, RETRIEVAL_MODES } from '../../core/contract/vocabulary.js';
import { BENCHMARKS, COMMANDS } from '../../core/cli/usage.js';
import { FAKE_TOKENS, startFakeOllama, type FakeOllama } from '../support/fake-ollama.js';
import { testModelsDir, tinyModels } from '../support/models.js';
import { closedPort } from '../support/ports.js';
import { projectRoot, tempDir } from '../support/temp.js';

interface Run { code: number | null; out: string; err: string; ms: number }

/** The real bin, asynchronously: the fake Ollama answering it lives in this process's event loop. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000, cwd?: string): Promise<Run> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), ...args], {
    env: { ...process.env, OLLAMA_HOST: '', LOCALRAG_DEBUG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    resolve({ code, out, err, ms: performance.now() - t0 });
  }));
}

/** Runs the calls a few at a time: each child compiles the sources, and a busy shared machine has few cores. */
async function cliAll(calls: [string[], NodeJS.ProcessEnv?][]): Promise<Run[]> {
  const results: Run[] = new Array(calls.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < calls.length; i = next++) results[i] = await cli(calls[i]![0], calls[i]![1] ?? {});
  };
  await Promise.all([worker(), worker(), worker()]);
  return results;
}

const version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

describe('help and version', () => {
  it('<command> --help prints that command\'s usage, exits 0 and creates or starts nothing', async () => {
    const root = tempDir();
    const home = join(root, 'home');
    const store = join(root, 'store');
    const out = join(root, 'synth-out');
    const port = String(await closedPort());
    const common = ['--store', store, '--models', join(root, 'models')];
    const cases: [args: string[], usageOf: string][] = [
      ...Object.keys(COMMANDS).map((c): [string[], string] => [[c, '--help', ...common], c]),
      [['serve', '-h', '--port', port, ...common], 'serve'],
      [['models', 'synth', '--help', '--out', out, '--preset', 'bench'], 'models synth'],
      [['bench', 'index', '--help'], 'bench index'],
      [['search', 'a question', '--mode', 'bi', '--help', ...common], 'search'],
      [['index', '/nowhere', '-h', ...common], 'index'],
      [['help', 'ask'], 'ask'],
    ];
    const runs = await cliAll(cases.map(([args]) => [args, { LOCALRAG_HOME: home }]));
    runs.forEach((r, i) => {
      const [args, usageOf] = cases[i]!;
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.match(r.out, new RegExp(`^usage: localrag ${usageOf}`), args.join(' '));
      assert.equal(r.err, '', args.join(' '));
      assert.doesNotMatch(r.out, /BENCH_SUMMARY \{"|serving the app|models ready|synthesised/, args.join(' '));
    });
    for (const dir of [home, store, out]) assert.equal(existsSync(dir), false, `${dir} was not created`);
    // The help names the allowed values from the vocabulary.
    const helpOf = (name: string) => runs[Object.keys(COMMANDS).indexOf(name)]!.out;
    for (const list of [RERANK_MODES, NORMALISATIONS, EXECUTION_PROVIDERS]) assert.ok(helpOf('search').includes(list.join('|')), list.join('|'));
    assert.ok(helpOf('ask').includes(LLM_BACKENDS.join('|')));
    // The command list names every command.
    const [top] = await Promise.all([cli(['--help'])]);
    for (const name of Object.keys(COMMANDS)) assert.match(top.out, new RegExp(`^  ${name} `, 'm'));
  });

  it('--version and -v print the package version; no command prints the usage on stderr with exit 2', async () => {
    const [long, short, none] = await Promise.all([cli(['--version']), cli(['-v']), cli([])]);
    assert.equal(long.code, 0);
    assert.equal(long.out, `localrag ${version}\n`);
    assert.equal(short.out, long.out);
    assert.equal(none.code, 2);
    assert.equal(none.out, '');
    assert.match(none.err, /^usage: localrag <command>/);
  });
});

describe('usage errors', () => {
  it('a bad value exits 2 with one line naming the flag and what it allows, before anything is opened', async () => {
    const root = tempDir();
    const store = join(root, 'store');
    const s = ['--store', store];
    const cases: [string[], RegExp][] = [
      [['search', 'q', '--mode', 'fancy', ...s], new RegExp(`^localrag: --mode must be one of ${RERANK_MODES.join(', ')} \\(got "fancy"\\)`)],
      [['search', 'q', '--norm', 'l2', ...s], new RegExp(`^localrag: --norm must be one of ${NORMALISATIONS.join(', ')} \\(got "l2"\\)`)],
      [['search', 'q', '--provider', 'gpu', ...s], new RegExp(`^localrag: --provider must be one of ${EXECUTION_PROVIDERS.join(', ')} \\(got "gpu"\\)`)],
      [['ask', 'q', '--llm', 'gpt', ...s], new RegExp(`^localrag: --llm must be one of ${LLM_BACKENDS.join(', ')} \\(got "gpt"\\)`)],
      [['search', 'q', '--alpha', '1.5', ...s], /^localrag: --alpha must be a number from 0 to 1 \(got "1\.5"\)/],
      [['search', 'q', '--top-n', '0', ...s], /^localrag: --top-n must be a whole number from 1 to 1,000 \(got "0"\)/],
      [['search', 'q', '--k', 'many', ...s], /^localrag: --k must be a whole number from 1 to 1,000 \(got "many"\)/],
      [['search', 'q', '--embedder', '../../../../etc', ...s], /^localrag: --embedder must be a model name .* or an absolute folder path \(got "..\/..\/..\/..\/etc"\)/],
      [['ask', 'q', '--host', 'javascript://alert(1)', ...s], /^localrag: --host must be an http:\/\/ or https:\/\/ address/],
      [['serve', '--port', '70000', ...s], /^localrag: --port must be a whole number from 0 to 65535 \(got "70000"\)/],
      [['index', 'docs', '--max-file-mb=-1', ...s], /^localrag: --max-file-mb must be a number of megabytes above 0 \(got "-1"\)/],
      [['index', 'docs', '--max-file-mb', '-1', ...s], /^localrag: --max-file-mb needs a value; for one that starts with "-", write --max-file-mb=<value>/],
      [['models', 'download', 'x', '--hub', 'file:///mirror', ...s], /^localrag: --hub must be an http:\/\/ or https:\/\/ address/],
      [['models', 'import', '/x', '--role', 'llm', ...s], /^localrag: --role must be one of embedder, cross-encoder \(got "llm"\)/],
      [['search', 'q', '--fancy', ...s], /^localrag: unknown option --fancy; see `localrag search --help`/],
      [['search', 'q', ...s, '--mode'], /^localrag: --mode needs a value: none\|bi\|cross\|mixlm/],
      [['status', 'extra', ...s], /^localrag: unexpected argument "extra"/],
      [['models', 'frob', ...s], /^localrag: unknown models command "frob"/],
      [['bench', 'nope'], new RegExp(`^localrag: bench needs a benchmark name, one of ${BENCHMARKS.join(', ')} \\(got "nope"\\)`)],
      [['search', 'q', '--retrieval', 'both', ...s], new RegExp(`^localrag: --retrieval must be one of ${RETRIEVAL_MODES.join(', ')} \\(got "both"\\)`)],
      [['eval', 'dir', '--ns', '0', ...s], /^localrag: --ns takes whole numbers of at least 1/],
      [['frob'], /^localrag: unknown command "frob"/],
    ];
    const runs = await cliAll(cases.map(([args]) => [args, { LOCALRAG_HOME: join(root, 'home') }]));
    runs.forEach((r, i) => {
      const [args, expected] = cases[i]!;
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, expected);
      assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
      assert.match(r.err, /see `localrag( \w+)? --help`/);
      assert.doesNotMatch(r.err, /rerankMode|retrieveK|executionProvider|ERR_PARSE_ARGS|Invalid option|Too small/);
    });
    assert.equal(existsSync(store), false, 'no store was created');
  });
});

describe('messages in the command line\'s words', () => {
  let fake: FakeOllama;
  let store: string;
  let common: string[];
  before(async () => {
    fake = await startFakeOllama({ models: ['llama3.2:latest'] });
    await tinyModels();
    const root = tempDir();
    const docs = join(root, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'wings.txt'), 'Wings stall when the angle of attack is too high and the flow separates.');
    writeFileSync(join(docs, 'flaps.txt'), 'Flaps raise lift at low speed during landing.');
    store = join(root, 'store');
    common = ['--store', store, '--models', testModelsDir, '--embedder', 'tiny-embedder', '--cross-encoder', 'tiny-cross-encoder', '--provider', 'cpu'];
    const indexed = await cli(['index', docs, '--quiet', ...common]);
    assert.equal(indexed.code, 0, indexed.err);
  });
  after(() => fake.close());

  it('serve on a busy port: one line saying so and what to do, exit 1', async (t) => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    t.after(() => busy.close());
    const port = (busy.address() as { port: number }).port;
    const r = await cli(['serve', '--port', String(port), '--store', tempDir(), '--models', testModelsDir]);
    assert.equal(r.code, 1, r.err);
    assert.equal(r.err.trim().split('\n').at(-1), `localrag: port ${port} is in use; pick another with --port or omit it`);
    assert.doesNotMatch(r.err, /EADDRINUSE|at .*\.ts/);
  });

  it('Ollama not running, a model missing, no model chosen: exit 3 with flags and commands, never "Settings"', async () => {
    const dead = String(await closedPort());
    const [down, missing, none] = await Promise.all([
      cli(['ask', 'why do wings stall?', '--host', `127.0.0.1:${dead}`, '--model', 'llama3.2', ...common]),
      cli(['ask', 'why do wings stall?', '--host', fake.url, '--model', 'mistral', ...common]),
      cli(['ask', 'why do wings stall?', '--host', fake.url, ...common]),
    ]);
    assert.equal(down.code, 3, down.err);
    assert.match(down.out, new RegExp(`answer unavailable: Ollama is not reachable at http://127\\.0\\.0\\.1:${dead} \\(ECONNREFUSED\\)\\. Start Ollama with \`ollama serve\`, or point at it with --host <url> \\(or OLLAMA_HOST\\)\\.`));
    assert.match(down.out, /Sources:\n.*\[1\] .*(wings|flaps)\.txt/);
    assert.equal(missing.code, 3, missing.err);
    assert.match(missing.out, /answer unavailable: The model "mistral" is not installed in Ollama\. Install it with `ollama pull mistral`, or choose an installed one with --model <name>/);
    assert.equal(none.code, 3, none.err);
    assert.match(none.out, /answer unavailable: No Ollama model is chosen for answers\. Choose one with --model <name>/);
    for (const r of [down, missing, none]) assert.doesNotMatch(r.out + r.err, /Settings/);
  });

  it('OLLAMA_HOST is read as Ollama reads it (no scheme, 0.0.0.0); --host wins over it', async () => {
    const port = new URL(fake.url).port;
    const dead = String(await closedPort());
    const [plain, bindAll, flagWins] = await Promise.all([
      cli(['ask', 'why do wings stall?', '--model', 'llama3.2', ...common], { OLLAMA_HOST: `127.0.0.1:${port}` }),
      cli(['ask', 'why do wings stall?', '--model', 'llama3.2', ...common], { OLLAMA_HOST: `0.0.0.0:${port}` }),
      cli(['ask', 'why do wings stall?', '--model', 'llama3.2', '--host', `http://127.0.0.1:${dead}`, ...common], { OLLAMA_HOST: `127.0.0.1:${port}` }),
    ]);
    for (const r of [plain, bindAll]) {
      assert.equal(r.code, 0, r.out + r.err);
      assert.ok(r.out.startsWith(FAKE_TOKENS.join('')), r.out);
    }
    assert.equal(flagWins.code, 3);
    assert.match(flagWins.out, new RegExp(`not reachable at http://127\\.0\\.0\\.1:${dead}`));
  });

  it('a saved Ollama host wins over OLLAMA_HOST; an LLM that stalls mid-answer ends within the idle timeout', async () => {
    // A store of its own whose settings were saved (as the app's Settings screen does).
    const own = join(tempDir(), 'store');
    const docs = tempDir();
    writeFileSync(join(docs, 'wings.txt'), 'Wings stall when the angle of attack is too high.');
    const { createEngine } = await import('../../core/engine.js');
    const engine = await createEngine({ storeDir: own, modelsDir: testModelsDir });
    await engine.updateSettings({ ollamaHost: fake.url, ollamaModel: 'llama3.2', llmIdleTimeoutMs: 1000, embedderModel: 'tiny-embedder', crossEncoderModel: 'tiny-cross-encoder', executionProvider: 'cpu' });
    await engine.library.index([engine.library.add(docs)]);
    await engine.close();
    assert.notEqual(fake.url, DEFAULT_SETTINGS.ollamaHost);
    const env = { OLLAMA_HOST: `127.0.0.1:${await closedPort()}` };

    const saved = await cli(['ask', 'why do wings stall?', '--store', own, '--models', testModelsDir], env);
    assert.equal(saved.code, 0, saved.out + saved.err);
    assert.ok(saved.out.startsWith(FAKE_TOKENS.join('')));
    assert.match(saved.out, /Sources:\n.*\[1\] .*wings\.txt/);

    fake.script = { kind: 'stall', after: 2 };
    try {
      const stalled = await cli(['ask', 'why do wings stall?', '--store', own, '--models', testModelsDir], env);
      assert.equal(stalled.code, 3, stalled.out + stalled.err);
      assert.ok(stalled.out.startsWith(FAKE_TOKENS.slice(0, 2).join('')), 'the text so far was printed');
      assert.match(stalled.out, /\[answer incomplete: The model "llama3\.2" stopped sending text for 1 s in the middle of its answer; the answer is incomplete\. Try again; .*--model\.\]/);
      // The idle timeout is 1 s; the bound only catches a hang (start-up on a busy machine takes most of it).
      assert.ok(stalled.ms < 100_000, `ended after ${stalled.ms} ms`);
    } finally {
      fake.script = { kind: 'normal' };
    }
  });

  it('ask on a store with nothing in it says so, exit 1, and creates nothing', async () => {
    const nowhere = join(tempDir(), 'no-store');
    const r = await cli(['ask', 'anything?', '--store', nowhere, '--models', testModelsDir]);
    assert.equal(r.code, 1);
    assert.equal(r.err, `localrag: There is no localrag store in ${nowhere}: nothing has been indexed there yet. Run \`localrag index <folder>\` first, or name another store with --store.\n`);
    assert.equal(existsSync(nowhere), false);
  });

  it('execution-provider fallback notes only with --verbose', async () => {
    const args = ['search', 'wings', '--store', store, '--models', testModelsDir, '--embedder', 'tiny-embedder', '--cross-encoder', 'tiny-cross-encoder', '--provider', 'auto'];
    const [plain, verbose] = await Promise.all([cli(args), cli([...args, '--verbose'])]);
    assert.equal(plain.code, 0, plain.err);
    assert.equal(verbose.code, 0, verbose.err);
    assert.doesNotMatch(plain.err, /provider unavailable|onnx:/);
    // Where a GPU provider really loads there is no fallback to report; elsewhere --verbose reports it.
    assert.ok(/provider unavailable/.test(verbose.err) || /\b(cuda|dml|coreml)\b/.test(verbose.out), verbose.err);
  });
});

describe('--json for scripts', () => {
  it('a failure is also one JSON object on stdout with a stable code; the exit status and the stderr line stay', async () => {
    const root = tempDir();
    const [usage, folder, command] = await cliAll([
      [['search', 'x', '--mode', 'fancy', '--json', '--store', join(root, 'store')]],
      [['index', join(root, 'no-such-folder'), '--json', '--store', join(root, 'store'), '--models', testModelsDir]],
      [['bogus', '--json']],
    ]);
    for (const [r, status, code] of [[usage, 2, 'usage-error'], [folder, 1, 'not-a-folder'], [command, 2, 'usage-error']] as const) {
      assert.equal(r.code, status, r.err);
      const error = JSON.parse(r.out).error;
      assert.equal(error.code, code, r.out);
      assert.equal(r.err, `localrag: ${error.message}${error.action ? ` ${error.action}` : ''}\n`, 'the same words on stderr');
    }
    assert.equal(existsSync(join(root, 'store')), false, 'a folder typo never creates an empty store');
  });

  it('serve --json prints its address as one object, answers there, and stops on SIGINT with exit 0', async () => {
    await tinyModels();
    const child = spawn(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), 'serve', '--json', '--quiet', '--store', join(tempDir(), 'store'), '--models', testModelsDir], {
      env: { ...process.env, OLLAMA_HOST: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const end = Date.now() + 60_000;
    while (!out.includes('\n') && child.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const address = JSON.parse(out) as { url: string; port: number; token: string };
    const reply = await fetch(`http://127.0.0.1:${address.port}/api/getSettings`, { method: 'POST', headers: { 'X-LocalRAG-Token': address.token }, body: '{}' });
    assert.equal(reply.status, 200);
    assert.match(address.url, new RegExp(`^http://127\\.0\\.0\\.1:${address.port}/\\?token=`));
    child.kill('SIGINT');
    assert.equal(await new Promise((r) => child.on('close', r)), 0);
    assert.equal(out.trim().split('\n').length, 1, 'one JSON object on stdout');
  });

  it('bench --json, run from any folder, prints only the BENCH_SUMMARY object on stdout', async () => {
    const r = await cli(['bench', 'bm25', '--sizes', '200', '--json'], {}, 120_000, tempDir());
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).bench, 'bm25');
    assert.match(r.err, /200 chunks: p50/, 'the benchmark\'s own lines go to stderr');
  });
});
