// localrag doctor: compare the vector index with SQLite vector by vector and repair what differs.
// A command of its own (not `status --check`) because it can write the derived index and takes time in proportion
// to the store, while `status` stays a quick read that never writes.
import type { VectorIndexFindings } from '../../contract/api.js';
import { EXIT, parse, printJson } from '../args.js';
import { openEngine } from '../open-engine.js';

const describe = (f: VectorIndexFindings) => f.unreadable
  ? 'unreadable or torn index files'
  : `${f.kind ?? 'no'} index, ${f.indexed} vectors: ${f.matched} match, ${f.stale} differ, ${f.orphans} orphaned, ${f.duplicates} duplicated, ${f.missing} missing`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { check: { type: 'boolean', default: false } });
  const engine = await openEngine(values, {}, { access: values.check ? 'read' : 'write' });
  try {
    const r = await engine.checkVectors({ checkOnly: values.check });
    if (values.json) {
      printJson(r);
    } else {
      console.log(`${r.storedVectors} vectors in SQLite${r.digestsWrong ? `, ${r.digestsWrong} with a wrong digest` : ''}`);
      console.log(`found: ${describe(r.found)}`);
      if (r.after) console.log(`repaired: ${describe(r.after)}`);
      console.log(r.ok ? 'ok: the vector index equals SQLite vector by vector' : r.checkOnly ? 'problems found: run `localrag doctor` to repair' : 'not repaired: see the lines above');
    }
    return r.ok ? EXIT.ok : EXIT.error;
  } finally {
    await engine.close();
  }
}
