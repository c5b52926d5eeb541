// Length-sorted batches under a row cap and a padded-token budget, shared by the embedder and the cross-encoder.

/**
 * Splits lengths sorted ascending into consecutive batches of at most maxRows rows and maxTokens padded tokens
 * (rows x the batch's last, longest, length); a single pair over the budget still gets a batch of its own.
 * Returns positions into the sorted list.
 */
export function batchesOf(sortedLengths: readonly number[], maxRows: number, maxTokens: number): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  sortedLengths.forEach((len, k) => {
    if (current.length && (current.length >= maxRows || (current.length + 1) * len > maxTokens)) {
      batches.push(current);
      current = [];
    }
    current.push(k);
  });
  if (current.length) batches.push(current);
  return batches;
}
