// Request schemas for every API method: whatever crosses a process or network boundary (Electron IPC, serve mode
// HTTP) is checked here before it reaches the engine. One map keyed by method name, so a method added to the
// contract without a schema fails the typecheck.
import { z } from 'zod';
import type { ApiMethod, ApiRequest } from './api.js';
import { API_METHODS } from './api.js';
import { SettingsError, SettingsSchema, settingsProblem } from './settings.js';
import { FILE_STATES, MODEL_ROLES, NORMALISATIONS, RERANK_MODES } from './vocabulary.js';
import { BROWSE_SHOWS } from './vocabulary.js';
import { AppErrorException } from './app-error.js';
import { requestProblem } from './request-problem.js';

const empty = z.object({}).strict();
const rerankParams = z.object({
  mode: z.enum(RERANK_MODES),
  alpha: z.number().min(0).max(1),
  topN: z.number().int().min(1).max(1000),
  finalK: z.number().int().min(1).max(100),
  normalisation: z.enum(NORMALISATIONS),
}).partial().strict();
const question = z.string().trim().min(1, 'the question is empty').max(10_000);
const id = z.string().min(1).max(200);
const folderPath = z.string().trim().min(1, 'the folder path is empty').max(4096);

/** Every settings field optional and without its default, so a partial change never resets the other fields. */
const settingsChange = z.object(
  Object.fromEntries(
    Object.entries(SettingsSchema.shape).map(([key, field]) => [key, field.unwrap().optional()]),
  ) as { [K in keyof typeof SettingsSchema.shape]: z.ZodOptional<ReturnType<(typeof SettingsSchema.shape)[K]['unwrap']>> },
).strict();

export const REQUEST_SCHEMAS = {
  getStatus: empty,
  getSettings: empty,
  updateSettings: settingsChange,
  addFolder: z.object({ path: folderPath }).strict(),
  removeFolder: z.object({ path: folderPath }).strict(),
  reindex: z.object({ path: folderPath.optional() }).strict(),
  listFiles: z.object({ state: z.enum(FILE_STATES).optional() }).strict(),
  search: z.object({ question, params: rerankParams.optional(), retrieveK: z.number().int().min(1).max(1000).optional() }).strict(),
  refuse: z.object({ queryId: id, params: rerankParams }).strict(),
  ask: z.object({ requestId: id, question, params: rerankParams.optional(), conversationId: id.optional() }).strict(),
  cancel: z.object({ requestId: id }).strict(),
  getPassage: z.object({ chunkId: z.number().int().min(0) }).strict(),
  history: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  listLlmModels: empty,
  importModel: z.object({ role: z.enum(MODEL_ROLES), folder: folderPath, id: id.optional() }).strict(),
  downloadModel: z.object({ id }).strict(),
  getEvalReport: z.object({ collection: z.string().min(1).max(200).optional() }).strict(),
  checkVectors: z.object({ checkOnly: z.boolean().optional() }).strict(),
  listConversations: z.object({ query: z.string().max(500).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  getConversation: z.object({ id }).strict(),
  renameConversation: z.object({ id, title: z.string().trim().min(1, 'the name is empty').max(200) }).strict(),
  deleteConversation: z.object({ id }).strict(),
  exportConversation: z.object({ id }).strict(),
  // Whether the path is absolute is the engine's check (it depends on the machine's platform, and says so in words).
  browseFolder: z.object({ path: z.string().min(1).max(4096).optional(), show: z.enum(BROWSE_SHOWS), hidden: z.boolean().optional() }).strict(),
  startEval: z.object({ source: z.string().trim().min(1, 'the collection path is empty').max(4096), grid: z.boolean().optional() }).strict(),
  cancelEval: z.object({ runId: id }).strict(),
} satisfies { [M in ApiMethod]: z.ZodType<ApiRequest<M>> };

/** Thrown (and sent over the wire as its `appError`) when a payload does not match its method's schema. */
export class RequestValidationError extends AppErrorException {}

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);
}

/** Returns the parsed request, or throws RequestValidationError saying what could not be done and each bad value. */
export function validateRequest<M extends ApiMethod>(method: M | string, payload: unknown): ApiRequest<M> {
  if (!isApiMethod(method)) {
    throw new RequestValidationError({
      code: 'unknown-method',
      message: `There is no API method called "${String(method).slice(0, 80)}".`,
      action: `Use one of: ${API_METHODS.join(', ')}.`,
    });
  }
  const result = REQUEST_SCHEMAS[method].safeParse(payload ?? {});
  // A settings change is the user's own input: its problems are worded per setting, as the Settings screen names them.
  if (!result.success && method === 'updateSettings') throw new SettingsError(settingsProblem(result.error.issues, payload));
  // Anything else is worded for a person too: what could not be done, each field by the name people know it by.
  if (!result.success) throw new RequestValidationError(requestProblem(method, result.error.issues, payload));
  return result.data as ApiRequest<M>;
}
