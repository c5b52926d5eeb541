// Every question asked, one row each: written 'running' when the question arrives and ended as done, failed or
// cancelled. A process killed mid-answer leaves 'running' behind; the next engine start ends those rows as failed.
import type { AnswerResult, AppError, ConversationTurn, HistoryEntry, HistoryState, StandaloneMethod } from '../contract/api.js';
import type { Db } from './db.js';

export interface StartedAnswer {
  requestId: string;
  conversationId: string;
  question: string;
  standaloneQuestion: string;
  standaloneMethod: StandaloneMethod;
  askedAt: string;
}

interface HistoryRow {
  request_id: string; question: string; asked_at: string; status: HistoryState; answer: string; result: string | null;
  conversation_id: string | null; standalone_question: string | null; standalone_method: StandaloneMethod | null;
  error: string | null;
}

/** What the user sees on a row the process never finished. */
export const INTERRUPTED: AppError = {
  code: 'answer-interrupted',
  message: 'The app stopped before this answer was finished.',
  action: 'Ask the question again.',
};

export function startAnswer(db: Db, a: StartedAnswer): void {
  db.prepare(`INSERT OR REPLACE INTO history(request_id, question, asked_at, status, answer, conversation_id,
      standalone_question, standalone_method, owner_pid)
    VALUES (?, ?, ?, 'running', '', ?, ?, ?, ?)`)
    .run(a.requestId, a.question, a.askedAt, a.conversationId, a.standaloneQuestion, a.standaloneMethod, process.pid);
}

export function setStandalone(db: Db, requestId: string, question: string, method: StandaloneMethod): void {
  db.prepare('UPDATE history SET standalone_question = ?, standalone_method = ? WHERE request_id = ?').run(question, method, requestId);
}

export function finishAnswer(db: Db, requestId: string, end: {
  status: Exclude<HistoryState, 'running'>; answer: string; result: AnswerResult | null; error?: AppError;
}): void {
  db.prepare('UPDATE history SET status = ?, answer = ?, result = ?, error = ?, owner_pid = NULL WHERE request_id = ?')
    .run(end.status, end.answer, end.result ? JSON.stringify(end.result) : null, end.error ? JSON.stringify(end.error) : null, requestId);
}

/** Whether the process that wrote a row may still be writing it (EPERM: it exists, under another user). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Ends the rows whose process is gone as failed ('answer-interrupted'); rows of a live process (another app or CLI
 * on the same store, or this one) are left to it. Returns how many rows were repaired.
 */
export function repairInterruptedAnswers(db: Db, alive: (pid: number) => boolean = processAlive): number {
  const rows = db.prepare("SELECT request_id, owner_pid FROM history WHERE status = 'running'").all() as { request_id: string; owner_pid: number | null }[];
  const dead = rows.filter((r) => r.owner_pid === null || !alive(r.owner_pid));
  const end = db.prepare("UPDATE history SET status = 'failed', error = ?, owner_pid = NULL WHERE request_id = ? AND status = 'running'");
  db.transaction(() => dead.forEach((r) => end.run(JSON.stringify(INTERRUPTED), r.request_id)))();
  return dead.length;
}

const COLUMNS = `request_id, question, asked_at, status, answer, result, conversation_id, standalone_question,
  standalone_method, error`;

function toEntry(r: HistoryRow): HistoryEntry {
  return {
    requestId: r.request_id, question: r.question, askedAt: r.asked_at, status: r.status, answer: r.answer,
    conversationId: r.conversation_id, standaloneQuestion: r.standalone_question,
    ...(r.error ? { error: JSON.parse(r.error) as AppError } : {}),
  };
}

/** Most recent first. */
export function historyEntries(db: Db, limit: number): HistoryEntry[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM history ORDER BY asked_at DESC, rowid DESC LIMIT ?`).all(limit) as HistoryRow[]).map(toEntry);
}

/** A conversation's questions, oldest first, each with its whole answer when it ended. */
export function turnsOf(db: Db, conversationId: string): ConversationTurn[] {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM history WHERE conversation_id = ? ORDER BY asked_at, rowid`).all(conversationId) as HistoryRow[];
  return rows.map((r) => ({
    ...toEntry(r),
    standaloneQuestion: r.standalone_question ?? r.question,
    standaloneMethod: r.standalone_method ?? 'first-question',
    result: r.result ? (JSON.parse(r.result) as AnswerResult) : null,
  }));
}
