// Independent checks of a store's vector index against SQLite, reading the files with plain Node (not the store's
// own code): the flat FAISS file is a header plus raw float32 rows, one per position of vectors.ids.json.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { projectRoot } from './temp.js';
import { testModelsDir } from './models.js';

const FLAT_HEADER_BYTES = 45;

/** Byte-for-byte equality of two vectors: what a resumed run must store to equal a clean run. */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Asserts that vectors.faiss holds exactly SQLite's vectors: same ids, no duplicates, each row byte-equal. */
export function assertFaissEqualsSqlite(storeDir: string): { vectors: number } {
  const db = new Database(join(storeDir, 'localrag.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const stored = new Map((db.prepare('SELECT chunk_id, vector FROM vectors').all() as { chunk_id: number; vector: Buffer }[]).map((r) => [r.chunk_id, r.vector]));
    const { ids } = JSON.parse(readFileSync(join(storeDir, 'vectors.ids.json'), 'utf8')) as { ids: number[] };
    const file = readFileSync(join(storeDir, 'vectors.faiss'));
    assert.equal(file.toString('latin1', 0, 4), 'IxFI', 'a flat inner-product FAISS index');
    const dim = file.readInt32LE(4);
    assert.equal(Number(file.readBigInt64LE(8)), ids.length, 'FAISS holds one vector per id in the map');
    assert.equal(new Set(ids).size, ids.length, 'no chunk id twice');
    assert.deepEqual([...ids].sort((a, b) => a - b), [...stored.keys()].sort((a, b) => a - b), 'FAISS and SQLite hold the same chunk ids');
    const row = dim * 4;
    let differ = 0;
    ids.forEach((id, pos) => {
      const inFaiss = file.subarray(FLAT_HEADER_BYTES + pos * row, FLAT_HEADER_BYTES + (pos + 1) * row);
      if (!inFaiss.equals(stored.get(id)!)) differ++;
    });
    assert.equal(differ, 0, `${differ} FAISS vectors differ from SQLite's vector for the same chunk id`);
    return { vectors: ids.length };
  } finally {
    db.close();
  }
}

/** Runs the CLI and resolves with its exit code and output. */
export function runCli(args: string[], opts: { models?: boolean } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), ...args, ...(opts.models === false ? [] : ['--models', testModelsDir])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}
