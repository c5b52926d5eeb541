// The passages chosen for the LLM, numbered as the answer cites them, shown as soon as reranking is done; those that
// did not fit the LLM's context window are marked. One opens in full below the list.
import type { RerankedCandidate } from '../../../core/contract/api.js';
import { useApp } from '../state/app-context.js';
import { basename } from './candidate-format.js';
import { PassageView } from './PassageView.js';

const PREVIEW = 160;

export function SourcesPanel({ sources, dropped, openChunk, onOpen }: {
  sources: RerankedCandidate[];
  /** Numbers in `sources` left out of the prompt; null while the prompt is being fitted. */
  dropped: number[] | null;
  openChunk: number | null;
  onOpen(chunkId: number | null): void;
}) {
  const { t } = useApp();
  const left = new Set(dropped ?? []);
  return (
    <aside className="sources" aria-label={t('sourcesHeading')}>
      <h2>{t('sourcesHeading')}</h2>
      {sources.length === 0 ? <p>{t('noSources')}</p> : (
        <>
          {left.size > 0 ? <p className="hint" data-testid="dropped-note">{t('droppedNote', { n: left.size, total: sources.length })}</p> : null}
          <ol data-testid="sources-list">
            {sources.map((s, i) => (
              <li key={s.chunkId} value={i + 1} data-dropped={left.has(i + 1) ? 'yes' : undefined}>
                <button type="button" className="source" aria-pressed={openChunk === s.chunkId} onClick={() => onOpen(s.chunkId)}>
                  <span className="source-file">{basename(s.path)}{s.page != null ? ` · ${t('passagePage', { page: s.page })}` : ''}</span>
                  {left.has(i + 1) ? <span className="source-dropped">{t('didNotFit')}</span> : null}
                  <span className="source-preview">{s.text.slice(0, PREVIEW)}{s.text.length > PREVIEW ? '…' : ''}</span>
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
      {openChunk != null ? <PassageView chunkId={openChunk} onClose={() => onOpen(null)} /> : null}
    </aside>
  );
}
