// Tokenised text and its batch tensors: what the models take, apart from the tokenizer that makes it (so a thread
// that only runs a model need not load @huggingface/transformers).

export interface Encoded {
  ids: number[];
  typeIds: number[];
}

/**
 * Batch tensors padded only to the longest item of this batch; or, for a graph exported with a fixed sequence length
 * (`fixedLength`), padded to exactly that length, a longer item cut keeping its last token (the closing [SEP] or
 * </s>, as the tokenizer's own truncation does).
 */
export function padBatch(items: Encoded[], padId: number, fixedLength?: number | null): { ids: BigInt64Array; mask: BigInt64Array; types: BigInt64Array; rows: number; cols: number; tokens: number } {
  if (fixedLength) items = items.map((e) => fitTo(e, fixedLength));
  const rows = items.length;
  const cols = fixedLength || Math.max(1, ...items.map((e) => e.ids.length));
  const ids = new BigInt64Array(rows * cols).fill(BigInt(padId));
  const mask = new BigInt64Array(rows * cols);
  const types = new BigInt64Array(rows * cols);
  let tokens = 0;
  items.forEach((e, r) => {
    for (let c = 0; c < e.ids.length; c++) {
      ids[r * cols + c] = BigInt(e.ids[c]!);
      mask[r * cols + c] = 1n;
      types[r * cols + c] = BigInt(e.typeIds[c] ?? 0);
    }
    tokens += e.ids.length;
  });
  return { ids, mask, types, rows, cols, tokens };
}

function fitTo(e: Encoded, length: number): Encoded {
  if (e.ids.length <= length) return e;
  const keep = (a: number[]) => [...a.slice(0, length - 1), a[a.length - 1]!];
  return { ids: keep(e.ids), typeIds: keep(e.typeIds) };
}
