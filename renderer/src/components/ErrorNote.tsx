import type { AppError } from '../../../core/contract/api.js';

/** An AppError as the user sees it: the sentence, then what to do. */
export function ErrorNote({ error, prefix }: { error: AppError; prefix?: string }) {
  return (
    <div className="error-note" role="alert" data-testid={`error-${error.code}`}>
      <p>{prefix ? `${prefix} ` : ''}{error.message}</p>
      {error.action ? <p className="action">{error.action}</p> : null}
    </div>
  );
}
