import type { AppError } from '../../../core/contract/api.js';
import { useApp } from '../state/app-context.js';

/** An AppError as the user sees it, in the interface's language: the sentence, then what to do. */
export function ErrorNote({ error, prefix }: { error: AppError; prefix?: string }) {
  const { tx } = useApp();
  const shown = tx(error);
  return (
    <div className="error-note" role="alert" data-testid={`error-${error.code}`}>
      <p>{prefix ? `${prefix} ` : ''}{shown.message}</p>
      {shown.action ? <p className="action">{shown.action}</p> : null}
      {shown.detail ? <p className="detail" lang="en">{shown.detail}</p> : null}
    </div>
  );
}
