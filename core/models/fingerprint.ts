// What a model's outputs depend on, as one short hash: the ONNX file that is loaded plus the tokenizer and config.
// Vectors and cached scores carry it, so new weights under an old name are noticed (a name proves nothing).
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { MARKER_FILE } from './layout.js';
import { markerFiles, readMarker } from './marker.js';

const CHUNK = 4 * 1024 * 1024;
/** Hashes by path, size and mtime: a model folder is read once per process, however often sessions reload. */
const cache = new Map<string, string>();

/** sha256 (hex) of a file's bytes, read in chunks so a 500 MB model never sits in memory whole. */
export function fileSha256(path: string): string {
  const st = statSync(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, 'r');
  try {
    for (let n; (n = readSync(fd, buf, 0, CHUNK, null)) > 0;) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  const hex = hash.digest('hex');
  cache.set(key, hex);
  return hex;
}

/** The fingerprint of a loaded model: its ONNX file, tokenizer.json and config.json (16 hex digits). */
export function modelFingerprint(modelDir: string, onnxFile: string): string {
  const recorded = recordedSums(modelDir);
  const parts = [onnxFile, join(modelDir, 'tokenizer.json'), join(modelDir, 'config.json')].map((f) => {
    try { return recorded(f) ?? fileSha256(f); } catch { return 'absent'; }
  });
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/**
 * The sha256 a download verified and recorded for a file, while the file still has the recorded size and is no
 * newer than the marker (written after every file); null when there is none or the file changed since.
 */
function recordedSums(modelDir: string): (file: string) => string | null {
  let markerTime: number;
  try { markerTime = statSync(join(modelDir, MARKER_FILE)).mtimeMs; } catch { return () => null; }
  const files = new Map(markerFiles(readMarker(modelDir)).map((f) => [f.path, f]));
  return (file) => {
    const rec = files.get(relative(modelDir, file).split(sep).join('/'));
    if (!rec) return null;
    const st = statSync(file);
    return st.size === rec.size && st.mtimeMs <= markerTime + 1 ? rec.sha256 : null;
  };
}
