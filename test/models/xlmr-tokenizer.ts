// An XLM-R-style tokenizer.json, generated (never shipped): a SentencePiece Unigram model of 250,002 pieces with
// XLM-R's special ids (<s>=0, <pad>=1, </s>=2, <unk>=3, <mask>=250001), Metaspace pre-tokenisation and XLM-R's
// pair template `<s> A </s></s> B </s>` — the layout of intfloat/multilingual-e5-small's tokenizer.json, so the
// tokenizer path is exercised on the real kind of vocabulary. Pieces: ASCII, common English words, kana, every
// CJK unified ideograph, and filler up to the real size.
export const XLMR_VOCAB = 250_002;
export const XLMR_SPECIALS = { bos: 0, pad: 1, eos: 2, unk: 3, mask: 250_001 } as const;

const WORDS = ('the of and to in is was for on that with as by at from this are be an or it which not have has ' +
  'wing wings lift flow air pressure boundary layer heat transfer speed shock wave cylinder plate surface theory ' +
  'how do does what why where when can generate generates measured results data model test question passage query').split(' ');

export function xlmrTokenizerJson(): string {
  const pieces: string[] = ['▁'];
  const seen = new Set<string>(['<s>', '<pad>', '</s>', '<unk>', '<mask>', '▁']);
  const add = (p: string) => { if (!seen.has(p)) { seen.add(p); pieces.push(p); } };
  for (const w of WORDS) add('▁' + w);
  for (let c = 0x21; c < 0x7f; c++) { add(String.fromCharCode(c)); add('▁' + String.fromCharCode(c)); }
  for (let c = 0x3041; c <= 0x30ff; c++) add(String.fromCharCode(c)); // hiragana + katakana
  for (let c = 0x4e00; c <= 0x9fff; c++) add(String.fromCharCode(c)); // CJK unified ideographs
  for (let i = 0; pieces.length < XLMR_VOCAB - 5; i++) add(`▁z${i.toString(36)}`);
  // Unigram scores are log probabilities: words above single characters, so "▁wing" is one piece.
  const vocab: [string, number][] = [['<s>', 0], ['<pad>', 0], ['</s>', 0], ['<unk>', 0]];
  pieces.forEach((p, i) => vocab.push([p, -(p.length > 2 ? 2 : 8) - i / 1e5]));
  vocab.push(['<mask>', 0]);
  const special = (id: number, content: string, lstrip = false) =>
    ({ id, content, single_word: false, lstrip, rstrip: false, normalized: false, special: true });
  const tok = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  const seq = (id: string) => ({ Sequence: { id, type_id: 0 } });
  return JSON.stringify({
    version: '1.0', truncation: null, padding: null,
    added_tokens: [special(0, '<s>'), special(1, '<pad>'), special(2, '</s>'), special(3, '<unk>'), special(XLMR_SPECIALS.mask, '<mask>', true)],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }] },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [tok('<s>'), seq('A'), tok('</s>')],
      pair: [tok('<s>'), seq('A'), tok('</s>'), tok('</s>'), seq('B'), tok('</s>')],
      special_tokens: Object.fromEntries([['<s>', 0], ['</s>', 2]].map(([t, id]) => [t, { id: t, ids: [id], tokens: [t] }])),
    },
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: XLMR_SPECIALS.unk, vocab, byte_fallback: false },
  });
}

export function xlmrTokenizerConfig(): string {
  return JSON.stringify({
    tokenizer_class: 'XLMRobertaTokenizer', model_max_length: 512, bos_token: '<s>', eos_token: '</s>', sep_token: '</s>',
    cls_token: '<s>', unk_token: '<unk>', pad_token: '<pad>', mask_token: '<mask>', clean_up_tokenization_spaces: true,
  }, null, 2);
}

export function xlmrSpecialTokensMap(): string {
  return JSON.stringify({ bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', sep_token: '</s>', pad_token: '<pad>', cls_token: '<s>', mask_token: '<mask>' }, null, 2);
}
