// One question of a conversation and its answer: streamed text with clickable [n] citations, what it was searched
// as when it was a follow-up, why it did not finish, and a copy of the answer with its numbered sources.
import { useMemo, useState, type MouseEvent } from 'react';
import type { AnswerResult, AppError, ConversationTurn, RerankedCandidate } from '../../../core/contract/api.js';
import { answerMarkdown } from '../../../core/conversation/markdown.js';
import type { LiveAnswer } from '../state/chat-session.js';
import { useApp } from '../state/app-context.js';
import { renderAnswerHtml } from './answer-html.js';
import { ErrorNote } from './ErrorNote.js';
import { copyText } from './save-text.js';

/** A turn as the screen shows it, whether it is streaming now or came back from the store. */
export interface TurnView {
  requestId: string;
  question: string;
  standaloneQuestion: string | null;
  text: string;
  result: AnswerResult | null;
  /** The passages for the LLM (all final k), numbered as the answer cites them; null before reranking is done. */
  sources: RerankedCandidate[] | null;
  dropped: number[] | null;
  status: 'streaming' | AnswerResult['status'] | 'error';
  error: AppError | null;
}

export function turnFromStore(t: ConversationTurn): TurnView {
  const r = t.result;
  return {
    requestId: t.requestId, question: t.question, standaloneQuestion: t.standaloneQuestion, text: r?.text ?? t.answer, result: r,
    sources: r ? r.search.top : null, dropped: r ? r.dropped : null, status: r ? r.status : 'error', error: r?.error ?? t.error ?? null,
  };
}

export function turnFromLive(l: LiveAnswer): TurnView {
  return {
    requestId: l.requestId, question: l.question, standaloneQuestion: l.standaloneQuestion, text: l.text, result: l.result,
    sources: l.sources, dropped: l.dropped, status: l.result ? l.result.status : l.error ? 'error' : 'streaming',
    error: l.result?.error ?? l.error,
  };
}

export function ChatTurn({ turn, selected, onCite }: { turn: TurnView; selected: boolean; onCite(chunkId: number): void }) {
  const { t, lang, session } = useApp();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const { result } = turn;
  const html = useMemo(
    () => renderAnswerHtml(turn.text, result ? result.citations : null, (n) => t('invalidCitation', { n })),
    [turn.text, result, t],
  );
  const onAnswerClick = (e: MouseEvent<HTMLDivElement>) => {
    const target = (e.target as HTMLElement).closest<HTMLElement>('[data-cite]');
    if (!target) return;
    const n = Number(target.dataset.cite);
    const chunkId = result?.citations.find((c) => c.n === n && c.valid)?.chunkId ?? turn.sources?.[n - 1]?.chunkId ?? null;
    if (chunkId != null) onCite(chunkId);
  };
  const copy = async () => {
    if (!result) return;
    try {
      await copyText(answerMarkdown({ ...result, sources: result.sources }, lang));
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  const streaming = turn.status === 'streaming';
  const rewritten = turn.standaloneQuestion && turn.standaloneQuestion !== turn.question;

  return (
    <section className={`answer${selected ? ' selected' : ''}`} aria-label={t('answerHeading')} aria-busy={streaming}
      data-testid="answer" data-status={turn.status} data-request={turn.requestId} onClick={() => session.select(turn.requestId)}>
      <h2>{turn.question}</h2>
      {rewritten ? <p className="standalone" data-testid="standalone">{t('searchedAs', { question: turn.standaloneQuestion! })}</p> : null}
      {streaming ? <p className="streaming" role="status">{turn.sources ? t('answerStreaming') : t('answerSearching')}</p> : null}
      {turn.status === 'error' && turn.error ? <ErrorNote error={turn.error} /> : null}
      {turn.status === 'unavailable' ? <Unavailable error={turn.error} /> : null}
      {turn.status === 'cancelled' ? <p role="status">{t('answerCancelled')}</p> : null}
      {/* Sanitised by renderAnswerHtml (DOMPurify); citations are added from digits only. */}
      <div className="answer-text" data-testid="answer-text" onClick={onAnswerClick} dangerouslySetInnerHTML={{ __html: html }} />
      <div className="answer-footer">
        {result?.llm ? (
          <span className="llm-stats">{t('llmStats', { backend: result.llm.backend, model: result.llm.model, tps: result.llm.tokensPerSecond?.toFixed(1) ?? '—' })}</span>
        ) : null}
        {result && (result.text || result.sources.length) ? (
          <button type="button" className="copy" onClick={(e) => { e.stopPropagation(); void copy(); }}>{t('copyAnswer')}</button>
        ) : null}
        {copied ? <span role="status" className="hint">{copied === 'yes' ? t('copied') : t('copyFailed')}</span> : null}
      </div>
    </section>
  );
}

function Unavailable({ error }: { error: AppError | null }) {
  const { t, tx } = useApp();
  const shown = error ? tx(error) : null;
  return (
    <div role="alert" className="unavailable" data-testid="answer-unavailable" data-code={error?.code}>
      {t('answerUnavailable', { reason: shown?.message ?? '' })}
      {shown?.action ? <p className="action">{shown.action}</p> : null}
      {shown?.detail ? <p className="detail" lang="en">{shown.detail}</p> : null}
    </div>
  );
}
