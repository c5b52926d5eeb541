// The exact passage behind a citation: file, page, heading path and the cited text highlighted in its document.
import { useEffect, useRef, useState } from 'react';
import type { AppError, Passage } from '../../../core/contract/api.js';
import { appErrorOf } from '../api/api-error.js';
import { useApp } from '../state/app-context.js';
import { ErrorNote } from './ErrorNote.js';

type Loaded = Passage & { documentText?: string };
const CONTEXT_CHARS = 600;

export function PassageView({ chunkId, onClose }: { chunkId: number; onClose(): void }) {
  const { host, t } = useApp();
  const [passage, setPassage] = useState<Loaded | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    setPassage(null);
    setError(null);
    host.api.call('getPassage', { chunkId }).then((p) => live && setPassage(p), (e) => live && setError(appErrorOf(e)));
    return () => {
      live = false;
    };
  }, [host, chunkId]);

  return (
    <section className="passage" aria-label={t('passageHeading')} data-testid="passage">
      <header>
        <h3>{t('passageHeading')}</h3>
        <button type="button" onClick={onClose} aria-label={t('closePassage')}>×</button>
      </header>
      {error ? <ErrorNote error={error} /> : null}
      {passage ? (
        <>
          <p className="passage-where" data-testid="passage-file">
            {passage.path}
            {passage.page != null ? ` · ${t('passagePage', { page: passage.page })}` : ''}
            {passage.headingPath.length ? ` · ${passage.headingPath.join(' › ')}` : ''}
          </p>
          <HighlightedText passage={passage} />
        </>
      ) : null}
    </section>
  );
}

function HighlightedText({ passage }: { passage: Loaded }) {
  const doc = passage.documentText;
  const mark = useRef<HTMLElement>(null);
  // The cited text is what the reader came for: bring it into view inside the surrounding context.
  useEffect(() => { mark.current?.scrollIntoView?.({ block: 'center' }); }, [passage]);
  if (!doc || passage.charEnd > doc.length || doc.slice(passage.charStart, passage.charEnd).trim() === '') {
    return <blockquote><mark data-testid="passage-highlight">{passage.text}</mark></blockquote>;
  }
  const from = Math.max(0, passage.charStart - CONTEXT_CHARS);
  const to = Math.min(doc.length, passage.charEnd + CONTEXT_CHARS);
  return (
    <blockquote className="passage-text">
      {from > 0 ? '…' : ''}{doc.slice(from, passage.charStart)}
      <mark ref={mark} data-testid="passage-highlight">{doc.slice(passage.charStart, passage.charEnd)}</mark>
      {doc.slice(passage.charEnd, to)}{to < doc.length ? '…' : ''}
    </blockquote>
  );
}
