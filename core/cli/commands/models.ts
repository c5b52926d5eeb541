// localrag models list|download <id>|import <folder> --role R|synth [--preset tiny|bench]
import type { ModelRole } from '../../contract/api.js';
import { EXIT, num, parse, printJson, UsageError } from '../args.js';
import { interruptSignal } from '../interrupt.js';
import { openEngine } from '../open-engine.js';
import { modelsDirOf } from '../args.js';
import { ensureSynthModels, synthesiseModel } from '../../models/synth/index.js';

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, {
    role: { type: 'string' }, id: { type: 'string' }, preset: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
  });
  if (sub === 'synth') {
    const modelsDir = typeof values.out === 'string' ? values.out : modelsDirOf(values);
    const preset = (values.preset ?? 'tiny') as string;
    if (typeof values.role === 'string') {
      const p = preset as 'tiny' | 'e5-small' | 'minilm-l6';
      const id = typeof values.id === 'string' ? values.id : `${p}-${values.role}`;
      const r = await synthesiseModel({ role: values.role as 'embedder' | 'cross-encoder', preset: p, seed: num(values.seed, 'seed'), outDir: `${modelsDir}/${id}` });
      values.json ? printJson(r) : console.log(`synthesised ${r.dir} (random weights: relevance is meaningless)`);
      return EXIT.ok;
    }
    if (preset !== 'tiny' && preset !== 'bench') throw new UsageError('--preset is tiny or bench (or give --role with tiny|e5-small|minilm-l6)');
    const r = await ensureSynthModels({ modelsDir, preset });
    values.json ? printJson(r) : console.log(`models ready in ${modelsDir}:\n  embedder ${r.embedderDir}\n  cross-encoder ${r.crossEncoderDir}\n(random weights: relevance is meaningless; use them to try the app and for tests)`);
    return EXIT.ok;
  }
  const engine = await openEngine(values);
  try {
    if (sub === 'list' || sub === undefined) {
      const status = await engine.getStatus();
      if (values.json) printJson(status.models);
      else for (const m of status.models) console.log(`${m.role.padEnd(13)} ${m.id.padEnd(28)} ${m.present ? 'present' : 'missing'}  ${m.present ? m.provenance ?? '' : m.howToGet ?? ''}`);
      return EXIT.ok;
    }
    if (sub === 'download') {
      const id = positionals[0];
      if (!id) throw new UsageError('models download <id>');
      const unsubscribe = engine.subscribe((event, p) => {
        if (event === 'onDownloadProgress' && !values.json) {
          const d = p as { file: string; loaded: number; total: number | null };
          process.stderr.write(`\r\x1b[2K${d.file} ${(d.loaded / 1e6).toFixed(1)}${d.total ? ` / ${(d.total / 1e6).toFixed(1)}` : ''} MB`);
        }
      });
      const status = await engine.downloadModel({ id }, interruptSignal());
      unsubscribe();
      values.json ? printJson(status) : console.log(`\n${status.id}: ${status.present ? 'ready' : 'incomplete'} in ${status.path}`);
      return EXIT.ok;
    }
    if (sub === 'import') {
      const folder = positionals[0];
      if (!folder || typeof values.role !== 'string') throw new UsageError('models import <folder> --role embedder|cross-encoder [--id name]');
      const status = await engine.importModel({ folder, role: values.role as ModelRole, id: typeof values.id === 'string' ? values.id : undefined });
      values.json ? printJson(status) : console.log(`${status.id}: imported into ${status.path}`);
      return EXIT.ok;
    }
    throw new UsageError(`unknown models command "${sub}" (list, download, import, synth)`);
  } finally {
    await engine.close();
  }
}
