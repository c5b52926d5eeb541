// The chat: conversations kept by the engine (so they survive a reload), the one open, and the question being
// answered. Sources arrive as soon as reranking is done (onAnswerSources), tokens and timings stream in, and the
// finished answer joins the conversation's turns. The inspector and the alpha preview work on `search`.
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  AnswerResult, AnswerSources, ApiTransport, AppError, Conversation, ConversationTurn, RerankedCandidate, SearchResult,
  StageTiming,
} from '../../../core/contract/api.js';
import { appErrorOf } from '../api/api-error.js';

export interface LiveAnswer {
  requestId: string;
  question: string;
  /** Known once the follow-up is rewritten (onAnswerSources). */
  standaloneQuestion: string | null;
  sources: RerankedCandidate[] | null;
  /** Numbers in `sources` that did not fit the LLM's context; null until known. */
  dropped: number[] | null;
  text: string;
  timings: StageTiming[];
  /** Set when the call finished. */
  result: AnswerResult | null;
  error: AppError | null;
}

export interface ChatSession {
  conversations: Conversation[];
  query: string;
  setQuery(q: string): void;
  /** The open conversation; null for a new chat. */
  conversationId: string | null;
  turns: ConversationTurn[];
  live: LiveAnswer | null;
  /** The turn whose sources, latency and candidates are shown (the latest unless another was picked). */
  selected: string | null;
  select(requestId: string): void;
  /** The search shown in the inspector; refuse() replaces it without a new query. */
  search: SearchResult | null;
  setSearch(search: SearchResult): void;
  /** Answers finished in this window and in the open conversation, oldest first, for the latency history. */
  recent: AnswerResult[];
  busy: boolean;
  error: AppError | null;
  ask(question: string): Promise<void>;
  cancel(): Promise<void>;
  open(conversationId: string): Promise<void>;
  newChat(): void;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
}

const RECENT_KEPT = 50;

export function useChatSession(api: ApiTransport): ChatSession {
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [query, setQuery] = useState('');
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [turns, setTurns] = useState<ConversationTurn[]>([]);
  const [live, setLive] = useState<LiveAnswer | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [search, setSearch] = useState<SearchResult | null>(null);
  const [finished, setFinished] = useState<AnswerResult[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const current = useRef<string | null>(null);
  const opened = useRef(false);

  const refreshList = useCallback(async (q: string) => {
    try {
      setConversations(await api.call('listConversations', q.trim() ? { query: q.trim() } : {}));
    } catch (err) {
      setError(appErrorOf(err));
    }
  }, [api]);

  const open = useCallback(async (id: string) => {
    try {
      const c = await api.call('getConversation', { id });
      current.current = null;
      setConversationId(c.id);
      setTurns(c.turns);
      setLive(null);
      const last = [...c.turns].reverse().find((t) => t.result);
      setSelected(last?.requestId ?? null);
      if (last?.result) setSearch(last.result.search);
      setError(null);
    } catch (err) {
      setError(appErrorOf(err));
    }
  }, [api]);

  // The list follows the search box; on the first load the most recent conversation opens, so a reload keeps it.
  useEffect(() => {
    void refreshList(query);
  }, [query, refreshList]);
  useEffect(() => {
    if (opened.current || conversations.length === 0) return;
    opened.current = true;
    void open(conversations[0]!.id);
  }, [conversations, open]);

  useEffect(() => {
    const mine = (requestId: string) => requestId === current.current;
    const offSources = api.on('onAnswerSources', (s: AnswerSources) => {
      if (!mine(s.requestId)) return;
      setConversationId(s.conversationId);
      setLive((l) => (l && l.requestId === s.requestId ? { ...l, standaloneQuestion: s.standaloneQuestion, sources: s.sources, dropped: s.dropped } : l));
    });
    const offToken = api.on('onAnswerToken', ({ requestId, token }) => {
      if (mine(requestId)) setLive((l) => (l && l.requestId === requestId ? { ...l, text: l.text + token } : l));
    });
    const offTiming = api.on('onStageTiming', ({ requestId, timing }) => {
      if (mine(requestId)) setLive((l) => (l && l.requestId === requestId ? { ...l, timings: [...l.timings, timing] } : l));
    });
    return () => {
      offSources();
      offToken();
      offTiming();
    };
  }, [api]);

  const ask = useCallback(async (question: string) => {
    const requestId = crypto.randomUUID();
    current.current = requestId;
    opened.current = true;
    setSelected(requestId);
    setError(null);
    setLive({ requestId, question, standaloneQuestion: null, sources: null, dropped: null, text: '', timings: [], result: null, error: null });
    try {
      const result = await api.call('ask', { requestId, question, ...(conversationId ? { conversationId } : {}) });
      setLive((l) => (l && l.requestId === requestId ? { ...l, text: result.text, timings: result.timings, sources: result.search.top, dropped: result.dropped, result } : l));
      setFinished((f) => [...f, result].slice(-RECENT_KEPT));
      setSearch(result.search);
      if (result.conversationId) {
        setConversationId(result.conversationId);
        const c = await api.call('getConversation', { id: result.conversationId });
        // The finished turn now comes from the store; the live view stays until the next question.
        setTurns(c.turns.filter((t) => t.requestId !== requestId));
      }
    } catch (err) {
      setLive((l) => (l && l.requestId === requestId ? { ...l, error: appErrorOf(err) } : l));
    } finally {
      if (current.current === requestId) current.current = null;
      void refreshList(query);
    }
  }, [api, conversationId, query, refreshList]);

  const cancel = useCallback(async () => {
    const requestId = current.current;
    if (requestId) await api.call('cancel', { requestId }).catch(() => undefined);
  }, [api]);

  const newChat = useCallback(() => {
    current.current = null;
    opened.current = true;
    setConversationId(null);
    setTurns([]);
    setLive(null);
    setSelected(null);
  }, []);

  const select = useCallback((requestId: string) => {
    setSelected(requestId);
    const turn = turns.find((t) => t.requestId === requestId);
    const result = turn?.result ?? (live?.requestId === requestId ? live.result : null);
    if (result) setSearch(result.search);
  }, [turns, live]);

  const rename = useCallback(async (id: string, title: string) => {
    try {
      await api.call('renameConversation', { id, title });
      await refreshList(query);
    } catch (err) {
      setError(appErrorOf(err));
    }
  }, [api, query, refreshList]);

  const remove = useCallback(async (id: string) => {
    try {
      await api.call('deleteConversation', { id });
      if (id === conversationId) newChat();
      await refreshList(query);
    } catch (err) {
      setError(appErrorOf(err));
    }
  }, [api, conversationId, newChat, query, refreshList]);

  const fromTurns = turns.flatMap((t) => (t.result ? [t.result] : []));
  const seen = new Set(finished.map((r) => r.requestId));
  const recent = [...fromTurns.filter((r) => !seen.has(r.requestId)), ...finished];

  const busy = !!live && !live.result && !live.error;
  return {
    conversations, query, setQuery, conversationId, turns, live, selected, select, search, setSearch, recent, busy, error,
    ask, cancel, open, newChat, rename, remove,
  };
}
