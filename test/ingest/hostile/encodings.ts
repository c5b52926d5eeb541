// Text samples in the encodings people's files still come in, encoded here (never shipped): Latin-1 and
// Windows-1252 prose in several languages, Japanese in Shift_JIS and EUC-JP, UTF-16 without a BOM.
import iconv from 'iconv-lite';

export const SAMPLES = {
  french: "Le café crème du matin est servi à la terrasse. Où est la bibliothèque? Les élèves étudient l'aérodynamique des ailes déployées, près du château.",
  german: 'Die Strömungsgeschwindigkeit über dem Flügel ist größer; der Druck fällt. Müller prüft die Messgeräte im Windkanal, während Jürgen schläft.',
  spanish: 'El niño pequeño comió mañana en la montaña. ¿Dónde está la estación? ¡Qué día tan húmedo! La presión aerodinámica aumentó.',
  portuguese: 'A aviação começou com balões; a pressão e a sustentação são explicações clássicas. Não há solução única para o coração do avião.',
  englishOneAccent: 'The boundary layer thickens along the flat plate as the flow moves downstream, and the wall shear stress decreases. We met at the café afterwards to discuss the results of the wind tunnel tests and the laminar flow measurements.',
  smartQuotes: '\u201cQuoted\u201d words \u2014 and \u2018single\u2019 quotes \u2026 cost \u20ac12; the na\u00efve r\u00e9sum\u00e9 is pass\u00e9.',
  japanese: '東京の風洞で翼の実験を行いました。境界層の厚さは流れに沿って増加し、壁面のせん断応力は減少します。\n日本語の文書も正しく索引されるべきです。検索でこの文章を見つけてください。\n',
  japaneseShort: '日本語のテキストです。',
  japaneseMixed: 'Report 2024: 風洞試験の結果 (Mach 0.8). 揚力係数は CL = 1.2 でした。次の試験は来週です。',
} as const;

export type SampleName = keyof typeof SAMPLES;

/** The encodings a sample can be written in, as iconv-lite names them, and what TextDecoder calls each. */
export const LEGACY = {
  latin1: { iconv: 'latin1', label: 'windows-1252' },
  windows1252: { iconv: 'win1252', label: 'windows-1252' },
  shiftJis: { iconv: 'Shift_JIS', label: 'shift_jis' },
  eucJp: { iconv: 'EUC-JP', label: 'euc-jp' },
  utf16le: { iconv: 'utf16le', label: 'utf-16le' },
  utf16be: { iconv: 'utf16be', label: 'utf-16be' },
} as const;

export type LegacyName = keyof typeof LEGACY;

export function encode(text: string, encoding: LegacyName): Buffer {
  return iconv.encode(text, LEGACY[encoding].iconv, { addBOM: false });
}

/** Which samples each encoding can represent. */
export const CASES: [SampleName, LegacyName][] = [
  ['french', 'latin1'], ['german', 'latin1'], ['spanish', 'latin1'], ['portuguese', 'latin1'], ['englishOneAccent', 'latin1'],
  ['french', 'windows1252'], ['smartQuotes', 'windows1252'],
  ['japanese', 'shiftJis'], ['japaneseShort', 'shiftJis'], ['japaneseMixed', 'shiftJis'],
  ['japanese', 'eucJp'], ['japaneseShort', 'eucJp'], ['japaneseMixed', 'eucJp'],
  ['french', 'utf16le'], ['japanese', 'utf16le'], ['englishOneAccent', 'utf16be'], ['japaneseMixed', 'utf16be'],
];
