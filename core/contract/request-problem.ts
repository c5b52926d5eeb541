// A request that does not match its method's schema, worded for a person: what could not be done, each field by the
// name people know it by (a rerank field by its setting's label, in the settings' own words), what it allows and
// what it got. Never the method's or the field's internal name; those travel in params, for translations and logs.
import type { z } from 'zod';
import type { ApiMethod, AppError } from './api.js';
import { allowedValues, SETTING_LABELS, shown, type SettingKey } from './settings.js';

/** What each method does, as "Could not …" ends (a method added to the contract without words fails the typecheck). */
const METHOD_WORDS: Record<ApiMethod, string> = {
  getStatus: 'read the status', getSettings: 'read the settings', updateSettings: 'save the settings',
  addFolder: 'add the folder', removeFolder: 'remove the folder', reindex: 're-index', listFiles: 'list the files',
  search: 'search', refuse: 're-rank the search', ask: 'answer the question', cancel: 'stop the answer',
  getPassage: 'open the passage', history: 'read the history', listLlmModels: 'list the LLM models',
  importModel: 'import the model', downloadModel: 'download the model', getEvalReport: 'read the evaluation report',
  checkVectors: 'check the vector index', listConversations: 'list the chats', getConversation: 'open the chat',
  renameConversation: 'rename the chat', deleteConversation: 'delete the chat', exportConversation: 'export the chat',
  browseFolder: 'open the folder', startEval: 'start the evaluation', cancelEval: 'stop the evaluation',
};

/** Request fields that carry a setting: named and ruled exactly as the Settings screen does. */
const SETTING_FIELDS: Record<string, SettingKey> = {
  retrieveK: 'retrieveK', 'params.mode': 'rerankMode', 'params.alpha': 'alpha', 'params.topN': 'topN',
  'params.finalK': 'finalK', 'params.normalisation': 'normalisation',
};

/** The other fields; `method.field` where one name means different things in different methods. */
const FIELD_LABELS: Record<string, string> = {
  '': 'The request', question: 'The question', path: 'The folder path', folder: 'The model folder',
  state: 'The file state', chunkId: 'The passage number', limit: 'The number of items', requestId: 'The answer\'s id',
  queryId: 'The search\'s id', role: 'The model role', collection: 'The collection name', checkOnly: 'The "check only" switch',
  query: 'The search text', title: 'The name', params: 'The rerank settings', conversationId: 'The chat',
  id: 'The chat', 'downloadModel.id': 'The model id', 'importModel.id': 'The model name',
  show: 'What to list', hidden: 'The "show hidden" switch', source: 'The collection', grid: 'The "grid" switch',
  runId: 'The evaluation\'s id',
};

/** What zod calls a type, in words. */
const KINDS: Record<string, string> = {
  string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', object: 'a set of named values', array: 'a list',
};

const n = (x: unknown) => (typeof x === 'number' || typeof x === 'bigint' ? x.toLocaleString('en-US') : String(x));

/** The rule a value broke, from the issue alone: "must be text", "is empty", "must be at most 1,000". */
function ruleOf(issue: z.core.$ZodIssue, given: boolean): string {
  switch (issue.code) {
    case 'invalid_type':
      return given ? `must be ${KINDS[issue.expected] ?? issue.expected}` : 'is missing';
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'is empty' : `must be at least ${n(issue.minimum)} characters long`;
      return `must be at least ${n(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${n(issue.maximum)} characters long` : `must be at most ${n(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return 'is not valid';
  }
}

function valueAt(payload: unknown, path: readonly PropertyKey[]): { given: boolean; value?: unknown } {
  let at: unknown = payload;
  for (const key of path) {
    if (!at || typeof at !== 'object' || !Object.hasOwn(at, key)) return { given: false };
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return { given: at !== undefined, value: at };
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One sentence per problem; params describe the first one (method and field by their internal names too). */
export function requestProblem(method: ApiMethod, issues: readonly z.core.$ZodIssue[], payload: unknown): AppError {
  const doing = METHOD_WORDS[method];
  const sentences: string[] = [];
  let params: Record<string, string | number> | undefined;
  for (const issue of issues) {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
      sentences.push(`The request holds ${keys}, which it does not take.`);
      params ??= { method, doing, field: issue.keys.join(', '), label: 'The request', rule: 'has a value it does not take', value: keys };
      continue;
    }
    const setting = SETTING_FIELDS[field];
    const label = setting ? SETTING_LABELS[setting] : FIELD_LABELS[`${method}.${field}`] ?? FIELD_LABELS[field] ?? FIELD_LABELS[String(issue.path.at(-1) ?? '')] ?? 'A value';
    const { given, value } = valueAt(payload ?? {}, issue.path);
    const rule = setting && given ? `must be ${allowedValues(setting)}` : ruleOf(issue, given);
    const got = given && rule !== 'is empty' ? ` (got ${shown(value)})` : '';
    sentences.push(`${capitalised(label)} ${rule}${got}.`);
    params ??= { method, doing, field, label, rule, ...(given ? { value: shown(value) } : {}) };
  }
  return {
    code: 'invalid-request',
    message: `Could not ${doing}. ${sentences.join(' ')}`,
    action: 'Correct it and try again.',
    ...(params ? { params } : {}),
  };
}
