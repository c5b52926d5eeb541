// localrag index <folder...>: remember the folders and index them; skipped files are listed with their reasons.
// Ctrl-C stops at the next file: what was indexed is kept and listed, the exit status is 130, and the same command
// again resumes where it stopped.
import { EXIT, num, parse, printJson, UsageError } from '../args.js';
import { existingFolder } from '../../engine/library.js';
import { interruptSignal } from '../interrupt.js';
import { describeError } from '../messages.js';
import { openEngine } from '../open-engine.js';
import { progressPrinter } from '../progress-bar.js';
import { COMMANDS } from '../usage.js';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, COMMANDS.index!.options);
  if (positionals.length === 0) throw new UsageError('index needs at least one folder: localrag index <folder...>');
  const maxMb = num(values['max-file-mb'], 'max-file-mb', { ok: (n) => n > 0, allowed: 'a number of megabytes above 0' });
  // A folder that does not exist is refused before the store is opened, so a typo never creates an empty store.
  for (const p of positionals) existingFolder(p);
  const engine = await openEngine(values, {}, { maxFileBytes: maxMb === undefined ? undefined : Math.round(maxMb * 1024 * 1024) });
  try {
    const folders = positionals.map((p) => engine.library.add(p));
    const bar = values.json || values.quiet ? null : progressPrinter();
    const unsubscribe = engine.subscribe((event, payload) => { if (event === 'onIndexProgress') bar?.update(payload as never); });
    const summary = await engine.library.index(folders, interruptSignal());
    unsubscribe();
    bar?.done();
    if (values.json) {
      printJson({ folders, ...summary, status: await engine.getStatus() });
    } else {
      console.log(`indexed ${summary.filesIndexed} files (${summary.filesUnchanged} unchanged, ${summary.filesRemoved} removed, ${summary.filesSkipped} skipped): +${summary.chunksAdded} chunks, -${summary.chunksRemoved}, ${summary.vectorsAdded} vectors in ${(summary.ms / 1000).toFixed(1)} s${summary.provider ? ` on ${summary.provider}` : ''}`);
      for (const f of summary.skipped) console.log(`  skipped ${f.path}: ${f.reason}`);
      if (summary.dense.status !== 'ok') console.log(`  note: ${describeError(summary.dense.error)}`);
      if (summary.cancelled) console.log(`interrupted: the ${summary.filesIndexed} files indexed so far are kept; run the same command again to continue.`);
    }
    return summary.cancelled ? EXIT.interrupted : EXIT.ok;
  } finally {
    await engine.close();
  }
}
