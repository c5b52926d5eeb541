// Notes on a stage's timing ("12 scored, 8 cached", "model missing"): the English text stays in `note` for the CLI and
// users' scripts, and each note also travels as code + params in `noteParts`, so the interface shows it in its own
// language (renderer/src/i18n/messages.ts), as it does for errors. Several notes on one stage are joined with '; '.
import type { AppError, StageTiming } from './api.js';
import { fillTemplate } from './template.js';
import type { StageNoteCode } from './vocabulary.js';

type Params = Record<string, string | number>;

const TEXT: Record<StageNoteCode, string> = {
  'note-retrieval-off': 'off (retrieval: {retrieval})',
  'note-vectors': '{count} vectors',
  'note-model-missing': 'model missing',
  'note-unavailable': 'unavailable',
  'note-stored-vectors': 'stored vectors',
  'note-no-vectors': 'no vectors: retrieval order',
  'note-fusion': '{mode}, {normalisation}',
  'note-skipped': 'skipped',
  'note-cross-failed': 'cross-encoder failed',
  'note-cached': 'cached',
  'note-scored-cached': '{scored} scored, {cached} cached',
  'note-context-dropped': '{count} passage(s) did not fit the {tokens}-token context',
  'note-cancelled': 'cancelled',
  'note-llm-unavailable': 'unavailable: {code}',
  'note-language-not-covered': 'language not covered: {script}',
  'note-rewritten-by-llm': 'rewritten by the LLM',
  'note-key-terms-added': "previous question's key terms added",
  'note-rewrite-llm-error': "previous question's key terms added (LLM: {code})",
};

/** One note, as the interface translates it. */
export function stageNote(code: StageNoteCode, params: Params = {}): AppError {
  const message = fillTemplate(TEXT[code], params);
  return { code, message, ...(Object.keys(params).length ? { params } : {}) };
}

/** The note fields of a timing holding these notes (none: no fields). */
export function withNotes(...notes: (AppError | null | undefined)[]): Pick<StageTiming, 'note' | 'noteParts'> {
  const parts = notes.filter((n): n is AppError => Boolean(n));
  return parts.length ? { note: parts.map((n) => n.message).join('; '), noteParts: parts } : {};
}
