// Text into the terms BM25 indexes and matches: one analysis for chunks (what goes into FTS5) and for questions,
// so both sides always agree.
// - NFKC (full-width Latin and half-width kana become ordinary letters) and lower case;
// - words are runs of letters, digits and marks; runs in scripts written without spaces (Japanese, Chinese, Thai,
//   Lao, Khmer, Burmese) are split into words by ICU's dictionary segmenter (Intl.Segmenter, in Node's ICU);
// - English and Japanese stopwords are dropped (the `stopword` package's lists), as Lucene's EnglishAnalyzer does
//   at index time: they would match nearly every chunk and cost most of BM25's time while adding nothing;
// - Latin words lose their diacritics, and plain a-z words are reduced by the Snowball English (Porter2) stemmer,
//   Porter's own revision of his 1980 algorithm (Xapian's English stemmer).
import { eng, jpn } from 'stopword';
import porter2 from 'wink-porter2-stemmer';

const STOPWORDS = new Set([...eng, ...jpn]);
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const LATIN = /^[\p{Script=Latin}\p{N}\p{M}]+$/u;
const MARKS = /\p{Mn}+/gu;
const ASCII_WORD = /^[a-z]+$/;

// ICU's word dictionary covers Han and kana alike; the locale only names the default.
const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

/** Stems seen before: the same few thousand words make up most text. Cleared when it grows large. */
const stems = new Map<string, string>();
function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    if (stems.size > 200_000) stems.clear();
    s = porter2(word);
    stems.set(word, s);
  }
  return s;
}

function pushWord(out: string[], word: string): void {
  if (STOPWORDS.has(word)) return;
  const plain = LATIN.test(word) ? word.normalize('NFD').replace(MARKS, '').normalize('NFC') : word;
  if (!plain) return;
  out.push(ASCII_WORD.test(plain) ? stem(plain) : plain);
}

/** The terms of a text, in order, repeats kept (term frequency counts). */
export function textTerms(text: string): string[] {
  const out: string[] = [];
  for (const [run] of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    if (!UNSPACED.test(run)) {
      pushWord(out, run);
      continue;
    }
    for (const seg of segmenter.segment(run)) {
      if (!seg.isWordLike) continue;
      // A segment may still hold several letter runs (rare); keep the same word shape as above.
      for (const [w] of seg.segment.matchAll(WORD)) pushWord(out, w);
    }
  }
  return out;
}
