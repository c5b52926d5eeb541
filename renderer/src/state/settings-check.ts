// Settings checked in the window, before they are sent: the engine's own schema says what is allowed, and each
// problem becomes one sentence naming the field as the screen labels it (never "retrieveK: Too small").
import type { Settings } from '../../../core/contract/api.js';
import { SettingsSchema } from '../../../core/contract/settings.js';
import type { StringKey } from '../i18n/strings.js';

export type SettingKey = keyof Settings;
/** Settings the schema checks with its own rule (a custom issue): what each allows, in words. */
const URL_SETTINGS: SettingKey[] = ['ollamaHost', 'hubHost'];
const MODEL_SETTINGS: SettingKey[] = ['embedderModel', 'crossEncoderModel'];
type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

/** The settings a change differs in (only those are sent, so a save never resets another field). */
export function changedFields(saved: Settings, draft: Partial<Settings>): Partial<Settings> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(draft) as SettingKey[]) if (draft[key] !== saved[key]) out[key] = draft[key];
  return out as Partial<Settings>;
}

/** The bounds the schema gives a number setting, for the input's min/max. */
export function numberBounds(key: SettingKey): { min?: number; max?: number; step: number } {
  const field = (SettingsSchema.shape[key] as { unwrap(): unknown }).unwrap() as { minValue?: number | null; maxValue?: number | null; isInt?: boolean; format?: string | null };
  const isInt = field.isInt ?? field.format === 'safeint';
  return { ...(field.minValue != null ? { min: field.minValue } : {}), ...(field.maxValue != null ? { max: field.maxValue } : {}), step: isInt ? 1 : 0.05 };
}

interface Issue { code: string; minimum?: number | bigint; maximum?: number | bigint; expected?: string; format?: string }

function sentence(i: Issue, key: SettingKey, field: string, chunkTokens: number, t: Translate): string {
  if (i.code === 'too_small') return t('problemTooSmall', { field, min: Number(i.minimum) });
  if (i.code === 'too_big') return t('problemTooBig', { field, max: Number(i.maximum) });
  if (i.code === 'invalid_type' && i.expected === 'int') return t('problemWhole', { field });
  if ((i.code === 'invalid_format' && i.format === 'url') || URL_SETTINGS.includes(key)) return t('problemUrl', { field });
  if (MODEL_SETTINGS.includes(key)) return t('problemModelName', { field });
  if (key === 'chunkOverlap') return t('problemOverlap', { max: Math.ceil(chunkTokens / 2) - 1 });
  return t('problemInvalid', { field });
}

/** One sentence per field that would be refused, in the interface's language; empty when all is well. */
export function settingProblems(saved: Settings, draft: Partial<Settings>, t: Translate, label: (k: SettingKey) => string): Partial<Record<SettingKey, string>> {
  const result = SettingsSchema.safeParse({ ...saved, ...draft });
  if (result.success) return {};
  const out: Partial<Record<SettingKey, string>> = {};
  for (const issue of result.error.issues) {
    const key = issue.path[0] as SettingKey | undefined;
    if (!key || out[key]) continue;
    out[key] = sentence(issue as Issue, key, label(key), draft.chunkTokens ?? saved.chunkTokens, t);
  }
  return out;
}
