// Conversations: ask, follow up in the same chat, watch the answer stream in, follow a citation to its exact passage,
// copy an answer or export the whole chat, and come back to earlier chats after a reload.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AppError } from '../../../core/contract/api.js';
import { appErrorOf } from '../api/api-error.js';
import { ChatTurn, turnFromLive, turnFromStore, type TurnView } from '../components/ChatTurn.js';
import { ConversationList } from '../components/ConversationList.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { saveTextFile } from '../components/save-text.js';
import { SourcesPanel } from '../components/SourcesPanel.js';
import { useApp } from '../state/app-context.js';
import { FirstRunPanel } from './FirstRunPanel.js';

export function ChatScreen() {
  const { t, session, refreshStatus, host } = useApp();
  const { live, busy } = session;
  const [question, setQuestion] = useState('');
  const [openChunk, setOpenChunk] = useState<number | null>(null);
  const [exportError, setExportError] = useState<AppError | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape' && busy) void session.cancel();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [busy, session]);

  useEffect(() => setOpenChunk(null), [session.selected]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const q = question.trim();
    if (!q || busy) return;
    setQuestion('');
    void session.ask(q);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  const turns: TurnView[] = session.turns.map(turnFromStore);
  if (live && !turns.some((x) => x.requestId === live.requestId)) turns.push(turnFromLive(live));
  const shown = turns.find((x) => x.requestId === session.selected) ?? turns.at(-1) ?? null;

  // An unavailable answer usually means the LLM's state changed (Ollama stopped): show it in the first-run panel.
  const liveStatus = live?.result?.status;
  useEffect(() => {
    if (liveStatus === 'unavailable') void refreshStatus();
  }, [liveStatus, refreshStatus]);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [turns.length, live?.requestId]);

  const exportChat = async () => {
    if (!session.conversationId) return;
    setExportError(null);
    try {
      const { fileName, markdown } = await host.api.call('exportConversation', { id: session.conversationId });
      saveTextFile(fileName, markdown);
    } catch (err) {
      setExportError(appErrorOf(err));
    }
  };
  const title = session.conversations.find((c) => c.id === session.conversationId)?.title;

  return (
    <div className="chat">
      <ConversationList />
      <div className="chat-main">
        <FirstRunPanel />
        {session.error ? <ErrorNote error={session.error} /> : null}
        <header className="chat-header">
          <h2 data-testid="chat-title">{title ?? t('newChatTitle')}</h2>
          {session.conversationId ? <button type="button" onClick={() => void exportChat()}>{t('exportChat')}</button> : null}
        </header>
        {exportError ? <ErrorNote error={exportError} /> : null}
        <div className="turns" data-testid="turns">
          {turns.length === 0 ? <p className="hint">{t('chatEmpty')}</p> : turns.map((turn) => (
            <ChatTurn key={turn.requestId} turn={turn} selected={turn.requestId === shown?.requestId}
              onCite={(chunkId) => { session.select(turn.requestId); setOpenChunk(chunkId); }} />
          ))}
          <div ref={end} />
        </div>
        <form onSubmit={submit} className="ask">
          <label htmlFor="question">{session.conversationId ? t('followUpLabel') : t('askLabel')}</label>
          <textarea id="question" ref={input} value={question} rows={2}
            placeholder={session.conversationId ? t('followUpPlaceholder') : t('askPlaceholder')}
            onChange={(e) => setQuestion(e.target.value)} onKeyDown={onKeyDown} autoFocus />
          <div className="ask-buttons">
            <button type="submit" disabled={busy || !question.trim()}>{t('askButton')}</button>
            <button type="button" onClick={() => void session.cancel()} disabled={!busy}>{t('stopButton')}</button>
            <span className="shortcuts">{t('shortcuts')}</span>
          </div>
        </form>
      </div>
      {shown?.sources ? (
        <SourcesPanel sources={shown.sources} dropped={shown.dropped} openChunk={openChunk} onOpen={setOpenChunk} />
      ) : null}
    </div>
  );
}
