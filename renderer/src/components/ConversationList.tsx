// The chats the engine keeps: a new one, a search over titles, questions and answers, and each one opened,
// renamed in place or deleted after a confirmation.
import { useState, type FormEvent } from 'react';
import type { Conversation } from '../../../core/contract/api.js';
import { useApp } from '../state/app-context.js';

export function ConversationList() {
  const { t, lang, session } = useApp();
  const [editing, setEditing] = useState<{ id: string; title: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const saveTitle = (e: FormEvent) => {
    e.preventDefault();
    if (editing && editing.title.trim()) void session.rename(editing.id, editing.title.trim());
    setEditing(null);
  };
  const when = (c: Conversation) => new Date(c.updatedAt).toLocaleString(lang, { dateStyle: 'short', timeStyle: 'short' });

  return (
    <nav className="conversations" aria-label={t('chatsHeading')}>
      <button type="button" className="new-chat" onClick={session.newChat}>{t('newChat')}</button>
      <label htmlFor="chat-search" className="visually-hidden">{t('searchChats')}</label>
      <input id="chat-search" type="search" placeholder={t('searchChats')} value={session.query}
        onChange={(e) => session.setQuery(e.target.value)} />
      {session.conversations.length === 0 ? <p className="hint">{session.query ? t('noChatsFound') : t('noChats')}</p> : (
        <ul data-testid="conversation-list">
          {session.conversations.map((c) => (
            <li key={c.id} data-conversation={c.id} aria-current={c.id === session.conversationId ? 'true' : undefined}>
              {editing?.id === c.id ? (
                <form onSubmit={saveTitle} className="rename">
                  <label htmlFor={`title-${c.id}`} className="visually-hidden">{t('chatName')}</label>
                  <input id={`title-${c.id}`} value={editing.title} autoFocus maxLength={200}
                    onChange={(e) => setEditing({ id: c.id, title: e.target.value })}
                    onKeyDown={(e) => { if (e.key === 'Escape') setEditing(null); }} />
                  <button type="submit">{t('saveName')}</button>
                </form>
              ) : (
                <button type="button" className="open-chat" onClick={() => void session.open(c.id)}>
                  <span className="chat-title">{c.title}</span>
                  <span className="chat-meta">{t('chatMeta', { when: when(c), n: c.questions })}</span>
                </button>
              )}
              {confirming === c.id ? (
                <span className="confirm" role="alert">
                  {t('confirmDeleteChat')}
                  <button type="button" className="danger" onClick={() => { setConfirming(null); void session.remove(c.id); }}>{t('delete')}</button>
                  <button type="button" onClick={() => setConfirming(null)}>{t('cancel')}</button>
                </span>
              ) : editing?.id !== c.id ? (
                <span className="chat-actions">
                  <button type="button" onClick={() => setEditing({ id: c.id, title: c.title })} aria-label={t('renameChat', { title: c.title })}>{t('rename')}</button>
                  <button type="button" onClick={() => setConfirming(c.id)} aria-label={t('deleteChat', { title: c.title })}>{t('delete')}</button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
