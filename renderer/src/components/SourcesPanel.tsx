// The passages the LLM saw, numbered as the answer cites them; one opens in full below the list.
import type { RerankedCandidate } from '../../../core/contract/api.js';
import { useApp } from '../state/app-context.js';
import { PassageView } from './PassageView.js';

const PREVIEW = 160;

export function SourcesPanel({ sources, openChunk, onOpen }: {
  sources: RerankedCandidate[];
  openChunk: number | null;
  onOpen(chunkId: number | null): void;
}) {
  const { t } = useApp();
  return (
    <aside className="sources" aria-label={t('sourcesHeading')}>
      <h2>{t('sourcesHeading')}</h2>
      {sources.length === 0 ? <p>{t('noSources')}</p> : (
        <ol data-testid="sources-list">
          {sources.map((s, i) => (
            <li key={s.chunkId} value={i + 1}>
              <button type="button" className="source" aria-pressed={openChunk === s.chunkId} onClick={() => onOpen(s.chunkId)}>
                <span className="source-file">{basename(s.path)}{s.page != null ? ` · ${t('passagePage', { page: s.page })}` : ''}</span>
                <span className="source-preview">{s.text.slice(0, PREVIEW)}{s.text.length > PREVIEW ? '…' : ''}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {openChunk != null ? <PassageView chunkId={openChunk} onClose={() => onOpen(null)} /> : null}
    </aside>
  );
}

export function basename(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
