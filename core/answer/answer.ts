// The answer stage: fit the top passages into the model's context, stream the answer, link its [n] citations.
// LLM faults are results, not exceptions: the user still gets the question's sources when the LLM is down.
import type { AnswerResult, AppError, LlmStats, RerankedCandidate, SearchResult, StageTiming } from '../contract/api.js';
import type { Settings } from '../contract/settings.js';
import { answerCharLimit, LlmError, type GenerateResult, type LlmBackendClient } from './backend.js';
import { parseCitations } from './citations.js';
import { buildPrompt } from './prompt.js';
import { stageNote, withNotes } from '../contract/stage-notes.js';

export interface AnswerRequest {
  requestId: string;
  question: string;
  search: SearchResult;
  client: LlmBackendClient;
  /** Ollama: a model name; embedded: a GGUF path ('' = the client's default file). */
  model: string;
  settings: Pick<Settings, 'llmContextTokens' | 'llmMaxAnswerTokens' | 'llmFirstTokenTimeoutMs' | 'llmIdleTimeoutMs'>;
  signal: AbortSignal;
  onToken(t: string): void;
  onTiming(t: StageTiming): void;
  /** Called once the prompt is fitted, before generation: which passages (1-based in search.top) made it. */
  onPromptFitted?(included: number[], dropped: number[]): void;
}

/** Where the search's waterfall ends: the answer stages are drawn after it. */
function searchEnd(timings: StageTiming[]): number {
  return Math.max(0, ...timings.map((t) => (t.startMs ?? 0) + t.ms));
}

/**
 * The window the prompt is fitted to: the setting, but never more than the model was trained for. The answer gets
 * at most half of it, so a small model (or a small setting) still has room for passages.
 */
export function answerBudget(
  settings: AnswerRequest['settings'], modelContext: number | null,
): { contextTokens: number; maxAnswerTokens: number } {
  const contextTokens = Math.min(settings.llmContextTokens, modelContext ?? Number.POSITIVE_INFINITY);
  return { contextTokens, maxAnswerTokens: Math.min(settings.llmMaxAnswerTokens, Math.floor(contextTokens / 2)) };
}

function asAppError(err: unknown): AppError {
  if (err instanceof LlmError) return err.appError;
  return {
    code: 'llm-error',
    message: `The answer could not be generated: ${err instanceof Error ? err.message : String(err)}`,
    action: 'Try again; if it keeps failing, switch the answer backend or model in Settings.',
  };
}

export async function generateAnswer(req: AnswerRequest): Promise<AnswerResult> {
  const { client, model, search } = req;
  const provider = client.backend;
  const t0 = performance.now();
  const base = searchEnd(search.timings);
  const timings = [...search.timings];
  const emit = (t: StageTiming) => {
    timings.push(t);
    req.onTiming(t);
  };

  let sources: RerankedCandidate[] = search.top;
  let dropped: number[] = [];
  let text = '';
  let llmStart = base;
  const result = (status: AnswerResult['status'], llm: LlmStats | null, error?: AppError): AnswerResult => ({
    requestId: req.requestId, question: req.question, status, text,
    citations: parseCitations(text, sources), sources, dropped, search, timings, llm, ...(error ? { error } : {}),
  });
  if (req.signal.aborted) return result('cancelled', null);

  try {
    const info = client.modelInfo ? await client.modelInfo(model) : { contextTokens: null };
    if (req.signal.aborted) return result('cancelled', null);
    const budget = answerBudget(req.settings, info.contextTokens);
    const prompt = buildPrompt({
      question: req.question, passages: search.top, ...budget,
      ...(client.countTokens ? { countTokens: (s: string) => client.countTokens!(s) } : {}),
    });
    sources = prompt.included.map((n) => search.top[n - 1]!);
    dropped = prompt.dropped;
    req.onPromptFitted?.(prompt.included, prompt.dropped);
    const promptMs = performance.now() - t0;
    llmStart = base + promptMs;
    emit({
      stage: 'prompt', ms: promptMs, startMs: base, tokens: prompt.promptTokens, provider, model,
      ...withNotes(dropped.length > 0 ? stageNote('note-context-dropped', { count: dropped.length, tokens: budget.contextTokens }) : null),
    });

    const genStart = performance.now();
    let sawToken = false;
    const gen: GenerateResult = await client.generate({
      system: prompt.system, user: prompt.user, model, maxTokens: budget.maxAnswerTokens,
      contextTokens: budget.contextTokens, firstTokenTimeoutMs: req.settings.llmFirstTokenTimeoutMs,
      idleTimeoutMs: req.settings.llmIdleTimeoutMs, maxChars: answerCharLimit(budget.maxAnswerTokens), signal: req.signal,
      onToken: (t) => {
        if (!sawToken) {
          sawToken = true;
          emit({ stage: 'llmFirstToken', ms: performance.now() - genStart, startMs: llmStart, provider, model });
        }
        text += t;
        req.onToken(t);
      },
    });
    text = gen.text;
    // A model that ends its stream without a word (a prompt it refuses silently, a broken template) is no answer.
    if (!gen.cancelled && text.trim() === '') {
      throw new LlmError('empty-answer', `The model "${model}" finished without writing an answer.`,
        'Ask again, or choose another model in Settings.', { params: { model } });
    }
    emit({
      stage: 'llmTotal', ms: gen.totalMs, startMs: llmStart, provider, model,
      ...(gen.outputTokens !== null ? { tokens: gen.outputTokens } : {}),
      ...withNotes(gen.cancelled ? stageNote('note-cancelled') : null),
    });
    const llm: LlmStats = {
      backend: provider, model, promptTokens: gen.promptTokens, outputTokens: gen.outputTokens,
      tokensPerSecond: gen.tokensPerSecond, firstTokenMs: gen.firstTokenMs, totalMs: gen.totalMs,
    };
    return result(gen.cancelled ? 'cancelled' : 'ok', llm);
  } catch (err) {
    const error = asAppError(err);
    emit({ stage: 'llmTotal', ms: performance.now() - t0 - (llmStart - base), startMs: llmStart, provider, model, ...withNotes(stageNote('note-llm-unavailable', { code: error.code })) });
    return result('unavailable', null, error);
  }
}
