// History rows always end: an old store's rows are converted to done/failed/cancelled, and rows a dead process left
// 'running' are ended as failed when the store is opened again, while a live process keeps its own.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openDb } from '../../core/store/db.js';
import { listConversations } from '../../core/store/conversations.js';
import { historyEntries, repairInterruptedAnswers, startAnswer } from '../../core/store/history.js';
import { tempDir } from '../support/temp.js';

test('a store from before conversations keeps its questions, each as a conversation, with final states', () => {
  const dir = tempDir();
  const old = new Database(join(dir, 'localrag.sqlite'));
  old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('schema_version', '1');
    CREATE TABLE history (request_id TEXT PRIMARY KEY, question TEXT NOT NULL, asked_at TEXT NOT NULL, status TEXT NOT NULL,
      answer TEXT NOT NULL DEFAULT '', result TEXT);
    INSERT INTO history VALUES ('a', 'first?', '2026-01-01T00:00:00Z', 'ok', 'yes [1]', NULL),
      ('b', 'second?', '2026-01-02T00:00:00Z', 'unavailable', 'error: down', NULL),
      ('c', 'third?', '2026-01-03T00:00:00Z', 'running', '', NULL),
      ('d', 'fourth?', '2026-01-04T00:00:00Z', 'cancelled', 'part', NULL);`);
  old.close();
  const db = openDb(dir);
  const states = Object.fromEntries(historyEntries(db, 10).map((e) => [e.requestId, e.status]));
  assert.deepEqual(states, { a: 'done', b: 'failed', c: 'failed', d: 'cancelled' });
  assert.equal(historyEntries(db, 10).find((e) => e.requestId === 'c')!.error?.code, 'answer-interrupted');
  assert.deepEqual(listConversations(db, undefined, 10).map((c) => [c.title, c.questions]), [['fourth?', 1], ['third?', 1], ['second?', 1], ['first?', 1]]);
  db.close();
});

test('rows of a process that is gone end as failed; rows of a live one are left to it', () => {
  const db = openDb(tempDir());
  db.prepare("INSERT INTO conversations VALUES ('c', 't', '2026-01-01', '2026-01-01')").run();
  const row = (requestId: string) => ({ requestId, conversationId: 'c', question: 'q', standaloneQuestion: 'q', standaloneMethod: 'first-question' as const, askedAt: '2026-01-01' });
  startAnswer(db, row('dead'));
  startAnswer(db, row('live'));
  db.prepare("UPDATE history SET owner_pid = 999999 WHERE request_id = 'dead'").run();
  db.prepare("UPDATE history SET owner_pid = 424242 WHERE request_id = 'live'").run();
  assert.equal(repairInterruptedAnswers(db, (pid) => pid === 424242), 1);
  const byId = Object.fromEntries(historyEntries(db, 10).map((e) => [e.requestId, e]));
  assert.equal(byId.dead!.status, 'failed');
  assert.equal(byId.dead!.error?.code, 'answer-interrupted');
  assert.equal(byId.live!.status, 'running');
  assert.equal(repairInterruptedAnswers(db, () => false), 1, 'once its process is gone, it is repaired too');
  db.close();
});
