// The answer stage's public face: what the engine, the CLI and the tests use.
export {
  LlmError, isLlmError, firstTokenTimeoutError, idleTimeoutError, answerTooLongError, answerCharLimit, GenerationWatch,
  type LlmBackendClient, type LlmErrorCode, type GenerateRequest, type GenerateResult, type ModelInfo,
} from './backend.js';
export { buildPrompt, approxTokenCount, detectQuestionLanguage, passageLabel, type PromptRequest, type BuiltPrompt } from './prompt.js';
export { parseCitations, CitationScanner } from './citations.js';
export { OllamaClient, createOllamaClient, DEFAULT_OLLAMA_HOST, type OllamaClientOptions, type PullProgress } from './ollama.js';
export { EmbeddedClient, createEmbeddedClient, type EmbeddedClientOptions } from './embedded.js';
export { generateAnswer, answerBudget, type AnswerRequest } from './answer.js';
