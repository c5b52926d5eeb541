// Whether a cross-encoder was trained for the language it is asked to read. A cross-encoder given text in a
// language it never saw scores noise, and MixLM would fuse that noise silently; so the search says so and offers the
// multilingual profile. Languages are told apart by script (kana/Han, Hangul, Cyrillic, Arabic, Devanagari, Thai,
// Greek, Hebrew, Latin): enough to catch Japanese questions on an English model; Latin-script languages are not told
// apart from each other (an English model on French text is not flagged).
import type { AppError } from '../contract/api.js';
import { MULTILINGUAL_CROSS_ENCODER, type ModelProfile } from './profiles.js';

type Script = 'latin' | 'ja' | 'han' | 'ko' | 'cyrillic' | 'arabic' | 'devanagari' | 'thai' | 'greek' | 'hebrew';

const SCRIPT_OF_LANGUAGE: Record<string, Script> = {
  en: 'latin', fr: 'latin', de: 'latin', es: 'latin', it: 'latin', pt: 'latin', nl: 'latin', id: 'latin', vi: 'latin',
  ja: 'ja', zh: 'han', ko: 'ko', ru: 'cyrillic', ar: 'arabic', hi: 'devanagari', th: 'thai', el: 'greek', he: 'hebrew',
};

/** How the user would name the script's language(s) in a message. */
const SCRIPT_NAME: Record<Script, string> = {
  latin: 'in Latin script', ja: 'Japanese', han: 'Chinese', ko: 'Korean', cyrillic: 'in Cyrillic script', arabic: 'Arabic',
  devanagari: 'in Devanagari script', thai: 'Thai', greek: 'Greek', hebrew: 'Hebrew',
};

const RANGES: [Script, RegExp][] = [
  ['ja', /[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]/u],
  ['han', /\p{Script=Han}/u],
  ['ko', /\p{Script=Hangul}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['thai', /\p{Script=Thai}/u],
  ['greek', /\p{Script=Greek}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['latin', /\p{Script=Latin}/u],
];

/** The script most of a text's letters are in (Han with any kana counts as Japanese), or null for no letters. */
export function dominantScript(text: string): Script | null {
  const counts = new Map<Script, number>();
  for (const ch of text) {
    const hit = RANGES.find(([, re]) => re.test(ch));
    if (hit) counts.set(hit[0], (counts.get(hit[0]) ?? 0) + 1);
  }
  if (counts.has('ja')) {
    counts.set('ja', counts.get('ja')! + (counts.get('han') ?? 0));
    counts.delete('han');
  }
  let best: Script | null = null;
  for (const [s, n] of counts) if (!best || n > counts.get(best)!) best = s;
  return best;
}

/**
 * The notice for a search whose question, or most of whose cross-scored passages, are in a script the
 * cross-encoder's languages do not cover; null when covered or when the profile does not list its languages.
 */
export function crossLanguageNotice(profile: Pick<ModelProfile, 'id' | 'languages'>, question: string, passages: string[]): AppError | null {
  if (!profile.languages?.length) return null;
  const covered = new Set(profile.languages.map((l) => SCRIPT_OF_LANGUAGE[l]).filter(Boolean));
  if (covered.has('ja')) covered.add('han'); // a Japanese model reads kanji
  const q = dominantScript(question);
  let script: Script | null = q && !covered.has(q) ? q : null;
  let where = 'this question is mostly';
  if (!script && passages.length) {
    const scripts = passages.map(dominantScript).filter((s): s is Script => !!s && !covered.has(s));
    if (scripts.length > passages.length / 2) {
      script = mode(scripts);
      where = `${scripts.length} of the ${passages.length} passages it scored are mostly`;
    }
  }
  if (!script) return null;
  const suggest = profile.id === MULTILINGUAL_CROSS_ENCODER ? null : MULTILINGUAL_CROSS_ENCODER;
  return {
    code: 'cross-encoder-language',
    message: `The cross-encoder ${profile.id} was trained on ${profile.languages.join(', ')}, but ${where} ${SCRIPT_NAME[script]}: its scores are close to noise there.`,
    action: suggest
      ? `Download the multilingual cross-encoder (\`localrag models download ${suggest}\`, Library > Models) and choose it in Settings > Cross-encoder, or rerank in bi mode.`
      : 'Rerank in bi mode for this language.',
    params: { model: profile.id, languages: profile.languages.join(', '), script, ...(suggest ? { suggest } : {}) },
  };
}

function mode<T>(xs: T[]): T {
  const c = new Map<T, number>();
  for (const x of xs) c.set(x, (c.get(x) ?? 0) + 1);
  return [...c].sort((a, b) => b[1] - a[1])[0]![0];
}
