// A one-line progress bar on stderr for a terminal; plain periodic lines otherwise (logs, CI).
import type { IndexProgress } from '../contract/api.js';

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { update(p: IndexProgress): void; done(): void } {
  let lastPlain = 0;
  const tty = stream.isTTY;
  return {
    update(p) {
      const pct = p.filesTotal ? Math.floor((100 * p.filesDone) / p.filesTotal) : 0;
      const eta = p.etaSeconds === null ? '--' : `${Math.ceil(p.etaSeconds)}s`;
      const text = `${p.phase} ${p.filesDone}/${p.filesTotal} files, ${p.chunksDone}/${p.chunksTotal} chunks embedded, ${p.chunksPerSecond.toFixed(1)} chunks/s, ETA ${eta}${p.skipped ? `, ${p.skipped} skipped` : ''}`;
      if (tty) {
        const width = 24;
        const filled = Math.round((pct / 100) * width);
        const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%`;
        const file = p.currentFile ? ` ${p.currentFile}` : '';
        stream.write(`\r\x1b[2K${bar} ${text}${file}`.slice(0, (stream.columns || 120) + 10));
      } else if (Date.now() - lastPlain > 2000 || p.phase === 'done') {
        lastPlain = Date.now();
        stream.write(`${text}\n`);
      }
    },
    done() { if (tty) stream.write('\n'); },
  };
}
