// Conversations: a titled thread of questions (their rows live in `history`). Deleting one deletes its questions.
import type { Conversation, ConversationDetail } from '../contract/api.js';
import type { Db } from './db.js';
import { turnsOf } from './history.js';

const TITLE_CHARS = 80;

interface ConversationRow { id: string; title: string; created_at: string; updated_at: string; questions: number }

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id, title: r.title, createdAt: r.created_at, updatedAt: r.updated_at, questions: r.questions,
});

/** A first question as a title: one line, cut at a word near 80 characters. */
export function titleFrom(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  if (line.length <= TITLE_CHARS) return line;
  const cut = line.slice(0, TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}

export function createConversation(db: Db, id: string, title: string, now: string): void {
  db.prepare('INSERT INTO conversations(id, title, created_at, updated_at) VALUES (?, ?, ?, ?)').run(id, title, now, now);
}

export function touchConversation(db: Db, id: string, now: string): void {
  db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?').run(now, id);
}

const SELECT = `SELECT c.id, c.title, c.created_at, c.updated_at,
  (SELECT COUNT(*) FROM history h WHERE h.conversation_id = c.id) AS questions FROM conversations c`;

export function getConversationSummary(db: Db, id: string): Conversation | null {
  const row = db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as ConversationRow | undefined;
  return row ? toConversation(row) : null;
}

/** Most recently used first; a query keeps conversations whose title, questions or answers contain it. */
export function listConversations(db: Db, query: string | undefined, limit: number): Conversation[] {
  const q = query?.trim();
  if (!q) return (db.prepare(`${SELECT} ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?`).all(limit) as ConversationRow[]).map(toConversation);
  const like = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const rows = db.prepare(`${SELECT} WHERE c.title LIKE @like ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM history h WHERE h.conversation_id = c.id AND (h.question LIKE @like ESCAPE '\\' OR h.answer LIKE @like ESCAPE '\\'))
    ORDER BY c.updated_at DESC, c.rowid DESC LIMIT @limit`).all({ like, limit }) as ConversationRow[];
  return rows.map(toConversation);
}

export function getConversation(db: Db, id: string): ConversationDetail | null {
  const summary = getConversationSummary(db, id);
  return summary ? { ...summary, turns: turnsOf(db, id) } : null;
}

export function renameConversation(db: Db, id: string, title: string): Conversation | null {
  db.prepare('UPDATE conversations SET title = ? WHERE id = ?').run(title.replace(/\s+/g, ' ').trim(), id);
  return getConversationSummary(db, id);
}

export function deleteConversation(db: Db, id: string): boolean {
  return db.transaction(() => {
    db.prepare('DELETE FROM history WHERE conversation_id = ?').run(id);
    return db.prepare('DELETE FROM conversations WHERE id = ?').run(id).changes > 0;
  })();
}
