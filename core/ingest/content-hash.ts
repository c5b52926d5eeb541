// sha256 of a file's bytes, streamed so large files never sit in memory whole.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function contentHash(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export function bufferHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
