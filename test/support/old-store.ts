// A store as the first release wrote it (schema version 1: FTS5 over raw text, chunk ids that could be reused), with
// one document whose chunks have the given ids and texts, for the tests of the migrations that upgrade it.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_V1 } from '../../core/store/db.js';

export function firstReleaseStore(dir: string, chunks: [id: number, text: string][]): Database.Database {
  const old = new Database(join(dir, 'localrag.sqlite'));
  old.pragma('foreign_keys = ON');
  old.exec(SCHEMA_V1);
  old.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', '1')").run();
  old.prepare("INSERT INTO documents(id, path, folder, state, chunks) VALUES (1, '/f/a.md', '/f', 'indexed', ?)").run(chunks.length);
  const insert = old.prepare('INSERT INTO chunks(id, document_id, ord, text, char_start, char_end, token_count) VALUES (?, 1, ?, ?, 0, 5, 2)');
  chunks.forEach(([id, text], ord) => insert.run(id, ord, text));
  return old;
}
