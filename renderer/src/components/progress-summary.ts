// The words and percentage under the indexing progress bar (plain functions, tested without a browser).
import type { IndexProgress } from '../../../core/contract/api.js';
import type { StringKey } from '../i18n/strings.js';

type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

export function formatEta(seconds: number | null, t: Translate): string {
  if (seconds == null || !Number.isFinite(seconds)) return t('etaEstimating');
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? t('etaSeconds', { s }) : t('etaMinutes', { m: Math.floor(s / 60), s: s % 60 });
}

/** The bar's percentage and the one line under it (pure, so the Library test and the unit test agree). */
export function progressSummary(p: IndexProgress, t: Translate): { pct: number; line: string } {
  const finished = p.phase === 'done';
  const fraction = finished ? 1 : p.fractionDone ?? (p.filesTotal ? p.filesDone / p.filesTotal : 0);
  const pct = Math.min(100, Math.round(fraction * 100));
  const vars = {
    files: p.filesDone, total: p.filesTotal, chunks: p.chunksDone, chunksTotal: p.chunksTotal,
    rate: p.chunksPerSecond.toFixed(1), eta: formatEta(p.etaSeconds, t), skipped: p.skipped,
  };
  const line = p.phase === 'scanning' ? t('progressScanning')
    : finished ? t(p.chunksTotal > 0 ? 'progressDoneChunks' : 'progressDone', vars)
      : p.phase === 'cancelled' ? t('progressCancelled', vars)
        : p.phase === 'error' ? t('progressError', vars)
          : t(p.chunksTotal > 0 ? 'progressRunning' : 'progressRunningFiles', vars);
  return { pct, line };
}
