import type { IndexProgress } from '../../../core/contract/api.js';
import { useApp } from '../state/app-context.js';

export function formatEta(seconds: number | null): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** Indexing progress with rate and ETA, from onIndexProgress. */
export function ProgressBar({ progress }: { progress: IndexProgress }) {
  const { t } = useApp();
  const total = progress.chunksTotal || progress.filesTotal;
  const done = progress.chunksTotal ? progress.chunksDone : progress.filesDone;
  const finished = progress.phase === 'done';
  const pct = finished ? 100 : total ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="progress" data-testid="index-progress" data-phase={progress.phase}>
      <div role="progressbar" aria-label={t('progressLabel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="bar">
        <div className="fill" style={{ width: `${pct}%` }} />
      </div>
      <p>
        {t('progressText', {
          phase: progress.phase,
          files: progress.filesDone,
          total: progress.filesTotal,
          chunks: progress.chunksDone,
          rate: progress.chunksPerSecond.toFixed(1),
          eta: finished ? '0 s' : formatEta(progress.etaSeconds),
        })}
        {progress.currentFile ? ` · ${progress.currentFile}` : ''}
      </p>
    </div>
  );
}
