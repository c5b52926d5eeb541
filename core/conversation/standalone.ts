// A follow-up question ("and at Mach 2?") means nothing to retrieval on its own. It is rewritten to stand alone:
// by the LLM when one is configured and answers in time, otherwise by adding the previous question's key terms.
import { eng, jpn } from 'stopword';
import type { LlmBackendClient } from '../answer/index.js';
import type { AppError, StandaloneMethod } from '../contract/api.js';

export interface PriorTurn {
  question: string;
  /** What the earlier question was retrieved with (itself standalone, so context carries over several turns). */
  standaloneQuestion: string;
  answer: string;
}

export interface RewriteLlm {
  client: LlmBackendClient;
  model: string;
  /** The whole rewrite's limit: retrieval waits for it, so it is kept short. */
  timeoutMs: number;
  signal: AbortSignal;
}

export interface Standalone {
  question: string;
  method: StandaloneMethod;
  /** Why the LLM was not used, when it was configured but failed or gave nothing usable. */
  llmError?: AppError;
}

/** Turns of context the LLM sees, and how much of each earlier answer: enough to resolve "it", small to be fast. */
const CONTEXT_TURNS = 3;
const ANSWER_CHARS = 400;
const MAX_KEY_TERMS = 8;
const REWRITE_MAX_TOKENS = 96;

/** stopword's lists lack the words questions are made of ("when does…", "何"), which carry no topic. */
const QUESTION_WORDS = ['what', 'when', 'where', 'which', 'who', 'whom', 'whose', 'why', 'how', 'does', 'do', 'did', 'is',
  'are', 'was', 'were', 'can', 'could', 'would', 'should', 'will', 'please', 'tell', 'explain', 'me', 'about', '何', '誰'];
const STOPWORDS = new Set([...eng, ...jpn, ...QUESTION_WORDS]);
const JAPANESE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]/u;
/** In Japanese, the words worth keeping hold kanji, katakana, Latin letters or digits; all-hiragana ones are particles or endings. */
const CONTENT_JA = /[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9fA-Za-z0-9]/u;

function words(text: string): string[] {
  const segmenter = new Intl.Segmenter(JAPANESE.test(text) ? 'ja' : 'en', { granularity: 'word' });
  return [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);
}

/** The content words of a question, in order, without stopwords or repeats. */
export function keyTerms(question: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of words(question)) {
    const lower = w.toLowerCase();
    if (STOPWORDS.has(lower) || seen.has(lower)) continue;
    if (JAPANESE.test(w) ? !CONTENT_JA.test(w) : !/\d/.test(w) && w.length < 2) continue;
    seen.add(lower);
    out.push(w);
  }
  return out;
}

/** The fallback: the follow-up, then the previous question's key terms it does not already contain. */
export function withKeyTerms(followUp: string, previous: string): string {
  const present = new Set(words(followUp).map((w) => w.toLowerCase()));
  const add = keyTerms(previous).filter((w) => !present.has(w.toLowerCase())).slice(0, MAX_KEY_TERMS);
  return add.length ? `${followUp.trim()} (${add.join(' ')})` : followUp.trim();
}

export function rewritePrompt(followUp: string, prior: PriorTurn[]): { system: string; user: string } {
  const turns = prior.slice(-CONTEXT_TURNS).map((t) => {
    const answer = t.answer.trim().replace(/\s+/g, ' ');
    const short = answer.length > ANSWER_CHARS ? `${answer.slice(0, ANSWER_CHARS)}…` : answer;
    return `Q: ${t.question.trim()}\nA: ${short || '(no answer)'}`;
  });
  return {
    system: [
      'You rewrite a follow-up question so that it can be understood without the conversation before it.',
      'Replace pronouns and references ("it", "that", "the second one") with what they refer to.',
      'Keep the language of the follow-up question. Do not answer it.',
      'Reply with the rewritten question only, on one line, without quotes or explanations.',
    ].join('\n'),
    user: `Conversation:\n${turns.join('\n\n')}\n\nFollow-up question: ${followUp.trim()}\n\nStandalone question:`,
  };
}

/** The model's reply, reduced to one question; null when nothing usable is left (then the fallback is used). */
export function cleanRewrite(reply: string, followUp: string): string | null {
  const line = reply.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  const q = line
    .replace(/^(standalone question|rewritten question|question)\s*[:：]\s*/i, '')
    .replace(/\[\d+(?:\s*,\s*\d+)*\]/g, '')
    .replace(/^["'“「『]+|["'”」』]+$/g, '')
    .trim();
  if (q === '' || q.length > followUp.length * 4 + 200) return null;
  return q;
}

export async function toStandalone(followUp: string, prior: PriorTurn[], llm: RewriteLlm | null): Promise<Standalone> {
  const previous = prior.at(-1);
  if (!previous) return { question: followUp.trim(), method: 'first-question' };
  const fallback = (llmError?: AppError): Standalone => ({
    question: withKeyTerms(followUp, previous.standaloneQuestion), method: 'key-terms', ...(llmError ? { llmError } : {}),
  });
  if (!llm) return fallback();
  const { system, user } = rewritePrompt(followUp, prior);
  const limit = AbortSignal.any([llm.signal, AbortSignal.timeout(llm.timeoutMs)]);
  try {
    const gen = await llm.client.generate({
      system, user, model: llm.model, maxTokens: REWRITE_MAX_TOKENS, firstTokenTimeoutMs: llm.timeoutMs,
      signal: limit, onToken: () => {},
    });
    const q = gen.cancelled ? null : cleanRewrite(gen.text, followUp);
    if (q) return { question: q, method: 'llm' };
    return fallback(gen.cancelled && !llm.signal.aborted ? rewriteTimeout(llm.timeoutMs) : undefined);
  } catch (err) {
    const appError = (err as { appError?: AppError }).appError;
    return fallback(appError ?? { code: 'llm-error', message: (err as Error).message });
  }
}

function rewriteTimeout(ms: number): AppError {
  const seconds = Math.round(ms / 1000);
  return {
    code: 'rewrite-timeout',
    message: `The LLM did not rewrite the follow-up question within ${seconds} s, so the previous question's key terms were added instead.`,
    action: 'Nothing to do; a faster model makes follow-up questions more precise.',
    params: { seconds },
  };
}
