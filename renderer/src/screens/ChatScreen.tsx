// Ask, watch the answer stream in, follow a citation to its exact passage, and go back to earlier questions.
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { renderAnswerHtml } from '../components/answer-html.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { SourcesPanel } from '../components/SourcesPanel.js';
import { useApp } from '../state/app-context.js';
import { FirstRunPanel } from './FirstRunPanel.js';

export function ChatScreen() {
  const { t, session, refreshStatus } = useApp();
  const { live, busy } = session;
  const [question, setQuestion] = useState('');
  const [openChunk, setOpenChunk] = useState<number | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape' && busy) void session.cancel();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [busy, session]);

  useEffect(() => setOpenChunk(null), [live?.requestId]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const q = question.trim();
    if (!q || busy) return;
    void session.ask(q);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  const result = live?.result ?? null;
  // An unavailable answer usually means the LLM's state changed (Ollama stopped): show it in the first-run panel.
  useEffect(() => {
    if (result?.status === 'unavailable') void refreshStatus();
  }, [result, refreshStatus]);
  const sources = result?.sources ?? [];
  const html = useMemo(
    () => renderAnswerHtml(live?.text ?? '', result ? result.citations : null, (n) => t('invalidCitation', { n })),
    [live?.text, result, t],
  );
  const onAnswerClick = (e: MouseEvent<HTMLDivElement>) => {
    const target = (e.target as HTMLElement).closest<HTMLElement>('[data-cite]');
    if (!target || !result) return;
    const n = Number(target.dataset.cite);
    const chunkId = result.citations.find((c) => c.n === n && c.valid)?.chunkId ?? sources[n - 1]?.chunkId ?? null;
    if (chunkId != null) setOpenChunk(chunkId);
  };

  return (
    <div className="chat">
      <div className="chat-main">
        <FirstRunPanel />
        <form onSubmit={submit} className="ask">
          <label htmlFor="question">{t('askLabel')}</label>
          <textarea id="question" ref={input} value={question} rows={2} placeholder={t('askPlaceholder')}
            onChange={(e) => setQuestion(e.target.value)} onKeyDown={onKeyDown} autoFocus />
          <div className="ask-buttons">
            <button type="submit" disabled={busy || !question.trim()}>{t('askButton')}</button>
            <button type="button" onClick={() => void session.cancel()} disabled={!busy}>{t('stopButton')}</button>
            <span className="shortcuts">{t('shortcuts')}</span>
          </div>
        </form>
        {live ? (
          <section className="answer" aria-label={t('answerHeading')} aria-busy={busy} data-testid="answer" data-status={result?.status ?? (live.error ? 'error' : 'streaming')}>
            <h2>{live.question}</h2>
            {busy ? <p className="streaming" role="status">{t('answerStreaming')}</p> : null}
            {live.error ? <ErrorNote error={live.error} /> : null}
            {result?.status === 'unavailable' ? (
              <div role="alert" className="unavailable" data-testid="answer-unavailable">
                {t('answerUnavailable', { reason: result.error?.message ?? '' })}
                {result.error?.action ? <p className="action">{result.error.action}</p> : null}
              </div>
            ) : null}
            {result?.status === 'cancelled' ? <p role="status">{t('answerCancelled')}</p> : null}
            {/* Sanitised by renderAnswerHtml (DOMPurify); citations are added from digits only. */}
            <div className="answer-text" data-testid="answer-text" onClick={onAnswerClick} dangerouslySetInnerHTML={{ __html: html }} />
            {result?.llm ? (
              <p className="llm-stats">{t('llmStats', { backend: result.llm.backend, model: result.llm.model, tps: result.llm.tokensPerSecond?.toFixed(1) ?? '—' })}</p>
            ) : null}
          </section>
        ) : null}
        <History />
      </div>
      {result ? <SourcesPanel sources={sources} openChunk={openChunk} onOpen={setOpenChunk} /> : null}
    </div>
  );
}

function History() {
  const { t, session } = useApp();
  return (
    <section className="history" aria-label={t('historyHeading')}>
      <h2>{t('historyHeading')}</h2>
      {session.answers.length === 0 ? <p>{t('historyEmpty')}</p> : (
        <ul data-testid="history-list">
          {session.answers.map((a) => (
            <li key={a.requestId}>
              <button type="button" onClick={() => session.show(a)} aria-current={session.live?.requestId === a.requestId}>
                <span className={`status status-${a.status}`}>{a.status}</span> {a.question}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
