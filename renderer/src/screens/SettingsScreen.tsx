// Every tunable setting, validated by the engine (its message is shown as is) and persisted by it. Moving alpha
// re-fuses the last question's cached scores (refuse) so the order changes live, with no new query.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { AppError, SearchResult, Settings } from '../../../core/contract/api.js';
import { EXECUTION_PROVIDERS, LANGUAGES, LLM_BACKENDS, NORMALISATIONS, RERANK_MODES, RETRIEVAL_FUSIONS } from '../../../core/contract/vocabulary.js';
import { appErrorOf } from '../api/api-error.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { basename } from '../components/SourcesPanel.js';
import { useApp } from '../state/app-context.js';
import type { StringKey } from '../i18n/strings.js';

const PREVIEW_ROWS = 10;
type NumberKey = 'retrieveK' | 'topN' | 'finalK' | 'chunkTokens' | 'chunkOverlap';
type ChoiceKey = 'rerankMode' | 'normalisation' | 'retrievalFusion' | 'executionProvider' | 'llmBackend' | 'language';
type TextKey = 'embedderModel' | 'crossEncoderModel' | 'ollamaHost' | 'ollamaModel' | 'embeddedModelPath';
const CHOICES: Record<ChoiceKey, readonly string[]> = {
  rerankMode: RERANK_MODES,
  normalisation: NORMALISATIONS,
  retrievalFusion: RETRIEVAL_FUSIONS,
  executionProvider: EXECUTION_PROVIDERS,
  llmBackend: LLM_BACKENDS,
  language: LANGUAGES,
};

export function changedFields(saved: Settings, draft: Settings): Partial<Settings> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(draft) as (keyof Settings)[]) if (draft[key] !== saved[key]) out[key] = draft[key];
  return out as Partial<Settings>;
}

export function SettingsScreen() {
  const { t, settings, setSettings, host, session, refreshStatus } = useApp();
  const [draft, setDraft] = useState<Settings | null>(settings);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const [llmModels, setLlmModels] = useState<{ models: string[]; error?: AppError }>({ models: [] });
  const previewSeq = useRef(0);
  const [previewing, setPreviewing] = useState(false);

  useEffect(() => setDraft(settings), [settings]);
  const loadModels = () => {
    host.api.call('listLlmModels', {}).then((r) => setLlmModels(r), (e) => setLlmModels({ models: [], error: appErrorOf(e) }));
  };
  useEffect(loadModels, [host]);

  if (!draft || !settings) return <p>{t('loading')}</p>;

  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => {
    setSaved(false);
    setDraft((d) => (d ? { ...d, [key]: value } : d));
  };
  const previewAlpha = async (alpha: number) => {
    set('alpha', alpha);
    const search = session.search;
    if (!search) return;
    const seq = ++previewSeq.current;
    setPreviewing(true);
    try {
      const result = await host.api.call('refuse', { queryId: search.queryId, params: { alpha } });
      if (seq === previewSeq.current) session.setSearch(result);
    } catch (err) {
      if (seq === previewSeq.current) setError(appErrorOf(err));
    } finally {
      if (seq === previewSeq.current) setPreviewing(false);
    }
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const next = await host.api.call('updateSettings', changedFields(settings, draft));
      setSettings(next);
      setSaved(true);
      loadModels();
      void refreshStatus();
    } catch (err) {
      setError(appErrorOf(err));
    }
  };

  const num = (key: NumberKey, label: StringKey) => (
    <Field id={key} label={t(label)}>
      <input id={key} type="number" value={draft[key]} onChange={(e) => set(key, Number(e.target.value))} />
    </Field>
  );
  const choice = (key: ChoiceKey, label: StringKey) => (
    <Field id={key} label={t(label)}>
      <select id={key} value={draft[key]} onChange={(e) => set(key, e.target.value as never)}>
        {CHOICES[key].map((v) => <option key={v} value={v}>{v}</option>)}
      </select>
    </Field>
  );
  const text = (key: TextKey, label: StringKey, list?: string) => (
    <Field id={key} label={t(label)}>
      <input id={key} type="text" value={draft[key]} list={list} onChange={(e) => set(key, e.target.value)} />
    </Field>
  );

  return (
    <form className="settings" aria-label={t('settingsHeading')} onSubmit={save}>
      <h2>{t('settingsHeading')}</h2>
      <fieldset>
        <legend>{t('rerankMode')}</legend>
        {choice('rerankMode', 'rerankMode')}
        {num('retrieveK', 'retrieveK')}
        {num('topN', 'topN')}
        <Field id="alpha" label={t('alpha')}>
          <input id="alpha" type="range" min={0} max={1} step={0.05} value={draft.alpha}
            onChange={(e) => void previewAlpha(Number(e.target.value))} />
          <output htmlFor="alpha" data-testid="alpha-value">{draft.alpha.toFixed(2)}</output>
        </Field>
        <AlphaPreview search={session.search} busy={previewing} />
        {num('finalK', 'finalK')}
        {choice('normalisation', 'normalisation')}
        {choice('retrievalFusion', 'retrievalFusion')}
      </fieldset>
      <fieldset>
        <legend>{t('chunkTokens')}</legend>
        {num('chunkTokens', 'chunkTokens')}
        {num('chunkOverlap', 'chunkOverlap')}
      </fieldset>
      <fieldset>
        <legend>{t('modelsHeading')}</legend>
        {text('embedderModel', 'embedderModel')}
        {text('crossEncoderModel', 'crossEncoderModel')}
        {choice('executionProvider', 'executionProvider')}
      </fieldset>
      <fieldset>
        <legend>{t('llmBackend')}</legend>
        {choice('llmBackend', 'llmBackend')}
        {text('ollamaHost', 'ollamaHost')}
        {text('ollamaModel', 'ollamaModel', 'ollama-models')}
        <datalist id="ollama-models">{llmModels.models.map((m) => <option key={m} value={m} />)}</datalist>
        <button type="button" onClick={loadModels}>{t('refreshModels')}</button>
        {llmModels.error ? <p className="hint" data-testid="llm-models-error">{t('llmModelsError', { reason: llmModels.error.message })}</p> : null}
        {text('embeddedModelPath', 'embeddedModelPath')}
      </fieldset>
      <fieldset>
        <legend>{t('language')}</legend>
        {choice('language', 'language')}
      </fieldset>
      {error ? <ErrorNote error={error} /> : null}
      {saved ? <p role="status">{t('saved')}</p> : null}
      <button type="submit">{t('save')}</button>
    </form>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

function AlphaPreview({ search, busy }: { search: SearchResult | null; busy: boolean }) {
  const { t } = useApp();
  if (!search) return <p className="hint">{t('alphaPreviewNone')}</p>;
  return (
    <section aria-label={t('alphaPreview')} className="alpha-preview">
      <h3>{t('alphaPreview')}</h3>
      <ol data-testid="alpha-preview" data-query={search.queryId} data-alpha={search.alpha} aria-busy={busy}>
        {search.candidates.slice(0, PREVIEW_ROWS).map((c) => (
          <li key={c.chunkId} data-chunk={c.chunkId}>#{c.chunkId} {basename(c.path)} ({c.finalScore.toFixed(3)})</li>
        ))}
      </ol>
    </section>
  );
}
