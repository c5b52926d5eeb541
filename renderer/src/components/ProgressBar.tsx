// Indexing progress: what is being done, files read and chunks embedded out of how many, the embedding rate, and
// the time left only once the engine can estimate it (it says "estimating" before that, never a made-up figure).
import type { IndexProgress } from '../../../core/contract/api.js';
import { useApp } from '../state/app-context.js';
import { progressSummary } from './progress-summary.js';

export function ProgressBar({ progress }: { progress: IndexProgress }) {
  const { t } = useApp();
  const { pct, line } = progressSummary(progress, t);
  return (
    <div className="progress" data-testid="index-progress" data-phase={progress.phase}>
      <div role="progressbar" aria-label={t('progressLabel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="bar">
        <div className="fill" style={{ width: `${pct}%` }} />
      </div>
      <p data-testid="progress-text">
        {line}
        {progress.currentFile ? <span className="current-file"> · {progress.currentFile}</span> : null}
      </p>
    </div>
  );
}
