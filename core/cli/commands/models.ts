// localrag models list|download <id>|import <folder> --role R|synth [--preset tiny|bench]
import type { DownloadProgress } from '../../contract/api.js';
import { EXIT, choice, num, parse, printJson, settingFlag, UsageError } from '../args.js';
import { interruptSignal } from '../interrupt.js';
import { openEngine } from '../open-engine.js';
import { modelsDirOf } from '../args.js';
import { COMMANDS, ONNX_ROLES, SYNTH_SETS, SYNTH_SHAPES } from '../usage.js';
import { ensureSynthModels, synthesiseModel, type PresetName } from '../../models/synth/index.js';

const SUBCOMMANDS = Object.keys(COMMANDS.models!.subcommands!);

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== undefined && !SUBCOMMANDS.includes(sub)) throw new UsageError(`unknown models command "${sub}" (one of ${SUBCOMMANDS.join(', ')})`);
  const { values, positionals } = parse(rest, COMMANDS.models!.options);
  const role = choice(values.role, 'role', ONNX_ROLES);
  const seed = num(values.seed, 'seed', { ok: Number.isInteger, allowed: 'a whole number' });
  if (sub === 'synth') {
    const modelsDir = typeof values.out === 'string' ? values.out : modelsDirOf(values);
    if (role !== undefined) {
      const preset = choice(values.preset ?? 'tiny', 'preset', SYNTH_SHAPES) as PresetName;
      const id = typeof values.id === 'string' ? values.id : `${preset}-${role}`;
      const r = await synthesiseModel({ role, preset, seed, outDir: `${modelsDir}/${id}` });
      values.json ? printJson(r) : console.log(`synthesised ${r.dir} (random weights: relevance is meaningless)`);
      return EXIT.ok;
    }
    const preset = choice(values.preset ?? 'tiny', 'preset', SYNTH_SETS)!;
    const r = await ensureSynthModels({ modelsDir, preset });
    values.json ? printJson(r) : console.log(`models ready in ${modelsDir}:\n  embedder ${r.embedderDir}\n  cross-encoder ${r.crossEncoderDir}\n(random weights: relevance is meaningless; use them to try the app and for tests)`);
    return EXIT.ok;
  }
  if (sub === 'download' && !positionals[0]) throw new UsageError('models download needs a model id: localrag models download <id> (see `localrag models list`)');
  if (sub === 'import' && (!positionals[0] || role === undefined)) throw new UsageError(`models import needs a folder and a role: localrag models import <folder> --role ${ONNX_ROLES.join('|')} [--id name]`);
  // --hub <url>: a Hugging Face Hub mirror for this command (Settings > hubHost otherwise).
  const hubHost = settingFlag(values.hub, 'hub', 'hubHost');
  // Listing only reads (a store that is not there yet lists the default models); downloads and imports write.
  const listing = sub === 'list' || sub === undefined;
  const engine = await openEngine(values, hubHost !== undefined ? { hubHost } : {}, { access: listing ? 'read-or-empty' : 'create' });
  try {
    if (listing) {
      const status = await engine.getStatus();
      if (values.json) printJson(status.models);
      else for (const m of status.models) console.log(`${m.role.padEnd(13)} ${m.id.padEnd(28)} ${m.present ? 'present' : 'missing'}  ${m.present ? m.provenance ?? '' : m.howToGet ?? ''}`);
      return EXIT.ok;
    }
    if (sub === 'download') {
      const id = positionals[0]!;
      const unsubscribe = engine.subscribe((event, p) => {
        if (event === 'onDownloadProgress' && !values.json) {
          const d = p as DownloadProgress;
          if (d.note) process.stderr.write(`\r\x1b[2K${d.note}\n`);
          const o = d.overall;
          const eta = o?.etaSeconds != null ? `, ${Math.ceil(o.etaSeconds)} s left` : '';
          const all = o ? ` (all files ${(o.loaded / 1e6).toFixed(1)} / ${(o.total / 1e6).toFixed(1)} MB${eta})` : '';
          process.stderr.write(`\r\x1b[2K${d.file} ${(d.loaded / 1e6).toFixed(1)}${d.total ? ` / ${(d.total / 1e6).toFixed(1)}` : ''} MB${all}`);
        }
      });
      const status = await engine.downloadModel({ id }, interruptSignal());
      unsubscribe();
      values.json ? printJson(status) : console.log(`\n${status.id}: ${status.present ? 'ready' : 'incomplete'} in ${status.path}`);
      return EXIT.ok;
    }
    if (sub === 'import') {
      const folder = positionals[0]!;
      const status = await engine.importModel({ folder, role: role!, id: typeof values.id === 'string' ? values.id : undefined });
      values.json ? printJson(status) : console.log(`${status.id}: imported into ${status.path}`);
      return EXIT.ok;
    }
    throw new UsageError(`unknown models command "${sub}"`);
  } finally {
    await engine.close();
  }
}
