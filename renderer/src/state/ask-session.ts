// One question at a time: streams tokens and stage timings for its request id, keeps the finished answers as the
// session history, and holds the search the inspector and the alpha preview work on.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AnswerResult, ApiTransport, AppError, SearchResult, StageTiming } from '../../../core/contract/api.js';
import { appErrorOf } from '../api/api-error.js';

export interface LiveAnswer {
  requestId: string;
  question: string;
  text: string;
  timings: StageTiming[];
  /** Set when the call finished. */
  result: AnswerResult | null;
  error: AppError | null;
}

export interface AskSession {
  live: LiveAnswer | null;
  answers: AnswerResult[];
  /** The search shown in the inspector; refuse() replaces it without a new query. */
  search: SearchResult | null;
  busy: boolean;
  ask(question: string): Promise<void>;
  cancel(): Promise<void>;
  show(answer: AnswerResult): void;
  setSearch(search: SearchResult): void;
}

const MAX_KEPT = 50;

export function useAskSession(api: ApiTransport): AskSession {
  const [live, setLive] = useState<LiveAnswer | null>(null);
  const [answers, setAnswers] = useState<AnswerResult[]>([]);
  const [search, setSearch] = useState<SearchResult | null>(null);
  const current = useRef<string | null>(null);

  useEffect(() => {
    const offToken = api.on('onAnswerToken', ({ requestId, token }) => {
      if (requestId !== current.current) return;
      setLive((l) => (l && l.requestId === requestId ? { ...l, text: l.text + token } : l));
    });
    const offTiming = api.on('onStageTiming', ({ requestId, timing }) => {
      if (requestId !== current.current) return;
      setLive((l) => (l && l.requestId === requestId ? { ...l, timings: [...l.timings, timing] } : l));
    });
    return () => {
      offToken();
      offTiming();
    };
  }, [api]);

  const ask = useCallback(async (question: string) => {
    const requestId = crypto.randomUUID();
    current.current = requestId;
    setLive({ requestId, question, text: '', timings: [], result: null, error: null });
    try {
      const result = await api.call('ask', { requestId, question });
      setLive((l) => (l && l.requestId === requestId ? { ...l, text: result.text, timings: result.timings, result } : l));
      setAnswers((a) => [result, ...a].slice(0, MAX_KEPT));
      setSearch(result.search);
    } catch (err) {
      setLive((l) => (l && l.requestId === requestId ? { ...l, error: appErrorOf(err) } : l));
    } finally {
      if (current.current === requestId) current.current = null;
    }
  }, [api]);

  const cancel = useCallback(async () => {
    const requestId = current.current;
    if (requestId) await api.call('cancel', { requestId }).catch(() => undefined);
  }, [api]);

  const show = useCallback((answer: AnswerResult) => {
    current.current = null;
    setLive({ requestId: answer.requestId, question: answer.question, text: answer.text, timings: answer.timings, result: answer, error: null });
    setSearch(answer.search);
  }, []);

  const busy = !!live && !live.result && !live.error;
  return { live, answers, search, busy, ask, cancel, show, setSearch };
}
