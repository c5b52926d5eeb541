// The folder browser's list keys, as plain functions: which row a key moves to, and type-to-find by name.

/** Rows moved by PageUp/PageDown. */
export const PAGE_ROWS = 10;

/** The row a navigation key moves the selection to, or null when the key does not move it. */
export function movedRow(key: string, active: number, count: number): number | null {
  if (count === 0) return null;
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowDown': return clamp(active + 1);
    case 'ArrowUp': return clamp(active - 1);
    case 'Home': return 0;
    case 'End': return count - 1;
    case 'PageDown': return clamp(active + PAGE_ROWS);
    case 'PageUp': return clamp(active - PAGE_ROWS);
    default: return null;
  }
}

/**
 * Type-to-find: the first row at or after `from` (wrapping) whose name starts with the typed prefix, ignoring
 * case; a prefix of one repeated letter steps through the rows starting with it, as file managers do.
 */
export function findByPrefix(names: readonly string[], from: number, prefix: string): number | null {
  if (!prefix || names.length === 0) return null;
  const p = prefix.toLowerCase();
  const repeated = [...p].every((c) => c === p[0]);
  const wanted = repeated ? p[0]! : p;
  // A fresh single letter or a repeated one moves past the current row; a longer prefix may stay on it.
  const start = repeated ? from + 1 : from;
  for (let k = 0; k < names.length; k++) {
    const i = (start + k) % names.length;
    if (names[i]!.toLowerCase().startsWith(wanted)) return i;
  }
  return null;
}
