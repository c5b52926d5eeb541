// Where each downloadable model's files really are on the Hugging Face Hub: the repo and the commit it is pinned
// to, which repo file becomes which file of the model folder, and which int8 file suits which CPU. The app's folder
// layout stays the same for every model (layout.ts): config.json, tokenizer.json, onnx/model.onnx (fp32) and
// onnx/model_quantized.onnx (int8, whichever repo file it came from); the marker records the source of each.
import type { CpuNeed } from './cpu.js';

export interface RepoRef {
  repo: string;
  /** The commit every file is read at; null: main's commit at download time, recorded in the marker. */
  revision: string | null;
}

export interface Int8Choice {
  /** The repo file; in `alt` when set. */
  path: string;
  needs: CpuNeed;
  alt?: boolean;
}

export interface HubSource {
  main: RepoRef;
  /** Names the repo had before (the hub answers them with a 307 to `main.repo`). */
  formerly?: string[];
  /** A second repo with files `main` lacks (Xenova's transformers.js exports carry a portable int8 file). */
  alt?: RepoRef;
  /** Model-folder path -> repo path, required; the download fails naming the first one the repo lacks. */
  files: Record<string, string>;
  /** Taken when the repo has them. */
  optional: Record<string, string>;
  /** int8 candidates in order of preference; the first the CPU meets and the repo has becomes onnx/model_quantized.onnx. */
  int8: Int8Choice[];
}

export const INT8_LOCAL = 'onnx/model_quantized.onnx';

const TOKENIZER = { 'config.json': 'config.json', 'tokenizer.json': 'tokenizer.json', 'tokenizer_config.json': 'tokenizer_config.json', 'onnx/model.onnx': 'onnx/model.onnx' };
const TOKENIZER_EXTRAS = { 'special_tokens_map.json': 'special_tokens_map.json', 'vocab.txt': 'vocab.txt' };

/**
 * The int8 files sentence-transformers' ONNX exports (optimum's ORTQuantizer presets) put in onnx/: VNNI first (the
 * fastest where present), then AVX-512 and AVX2 (quantised with reduce_range, so correct on any x64 CPU with
 * AVX2), the Arm one on arm64, and a transformers.js export where a repo has one.
 */
function optimumInt8(alt: boolean): Int8Choice[] {
  return [
    { path: 'onnx/model_qint8_avx512_vnni.onnx', needs: 'avx512_vnni' },
    { path: 'onnx/model_qint8_avx512.onnx', needs: 'avx512' },
    { path: 'onnx/model_quint8_avx2.onnx', needs: 'avx2' },
    { path: 'onnx/model_qint8_arm64.onnx', needs: 'arm64' },
    ...(alt ? [{ path: INT8_LOCAL, needs: 'any' as const, alt: true }] : []),
  ];
}

/** A cross-encoder/ repo (renamed in 2025 from the dashed names) with the optimum ONNX set. */
function crossEncoderRepo(repo: string, revision: string | null, formerly: string, xenova?: RepoRef): HubSource {
  return {
    main: { repo, revision }, formerly: [formerly], ...(xenova ? { alt: xenova } : {}),
    files: TOKENIZER, optional: TOKENIZER_EXTRAS, int8: optimumInt8(!!xenova),
  };
}

export const HUB_SOURCES: Record<string, HubSource> = {
  'multilingual-e5-small': {
    main: { repo: 'intfloat/multilingual-e5-small', revision: '614241f622f53c4eeff9890bdc4f31cfecc418b3' },
    alt: { repo: 'Xenova/multilingual-e5-small', revision: '761b726dd34fb83930e26aab4e9ac3899aa1fa78' },
    files: TOKENIZER,
    optional: { 'special_tokens_map.json': 'special_tokens_map.json' },
    // intfloat's only int8 file targets VNNI (no reduce_range); elsewhere Xenova's int8 export of the same weights.
    int8: [
      { path: 'onnx/model_qint8_avx512_vnni.onnx', needs: 'avx512_vnni' },
      { path: INT8_LOCAL, needs: 'any', alt: true },
    ],
  },
  'all-MiniLM-L6-v2': {
    main: { repo: 'sentence-transformers/all-MiniLM-L6-v2', revision: null },
    files: TOKENIZER, optional: TOKENIZER_EXTRAS, int8: optimumInt8(false),
  },
  'ms-marco-MiniLM-L-6-v2': crossEncoderRepo('cross-encoder/ms-marco-MiniLM-L6-v2', 'c5ee24cb16019beea0893ab7796b1df96625c6b8',
    'cross-encoder/ms-marco-MiniLM-L-6-v2', { repo: 'Xenova/ms-marco-MiniLM-L-6-v2', revision: 'a09144355adeed5f58c8ed011d209bf8ee5a1fec' }),
  'ms-marco-MiniLM-L-4-v2': crossEncoderRepo('cross-encoder/ms-marco-MiniLM-L4-v2', null,
    'cross-encoder/ms-marco-MiniLM-L-4-v2', { repo: 'Xenova/ms-marco-MiniLM-L-4-v2', revision: 'e8fdba61d478d042b338f7bcf7ba4e48ed7d46d7' }),
  'ms-marco-MiniLM-L-2-v2': crossEncoderRepo('cross-encoder/ms-marco-MiniLM-L2-v2', null,
    'cross-encoder/ms-marco-MiniLM-L-2-v2', { repo: 'Xenova/ms-marco-MiniLM-L-2-v2', revision: null }),
  'ms-marco-TinyBERT-L-2-v2': crossEncoderRepo('cross-encoder/ms-marco-TinyBERT-L2-v2', null,
    'cross-encoder/ms-marco-TinyBERT-L-2-v2', { repo: 'Xenova/ms-marco-TinyBERT-L-2-v2', revision: 'b76bb5e1fefd66aa36cd108622d768e86c015ff1' }),
  'mmarco-mMiniLMv2-L12-H384-v1': {
    main: { repo: 'cross-encoder/mmarco-mMiniLMv2-L12-H384-v1', revision: '1427fd652930e4ba29e8149678df786c240d8825' },
    files: TOKENIZER, optional: { 'special_tokens_map.json': 'special_tokens_map.json' }, int8: optimumInt8(false),
  },
};
