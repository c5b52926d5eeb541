// Every tunable setting with a line of help. Alpha is applied live (it re-fuses the last question's cached scores
// at once and the next question uses it); every other edit is marked unsaved until Save, and stays while switching
// screens. Problems are caught here in the field's own words; a chunking change offers the re-index it needs.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { AppError, ModelRole, SearchResult, Settings } from '../../../core/contract/api.js';
import { EXECUTION_PROVIDERS, LANGUAGES, LLM_BACKENDS, NORMALISATIONS, RERANK_MODES, RETRIEVAL_FUSIONS } from '../../../core/contract/vocabulary.js';
import { RETRIEVAL_MODES } from '../../../core/contract/vocabulary.js';
import { appErrorOf } from '../api/api-error.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { FolderBrowser } from '../components/FolderBrowser.js';
import type { StringKey } from '../i18n/strings.js';
import { useApp } from '../state/app-context.js';
import { changedFields, numberBounds, settingProblems, type SettingKey } from '../state/settings-check.js';
import { where } from '../components/candidate-format.js';

const PREVIEW_ROWS = 10;
const ALPHA_SAVE_DELAY_MS = 250;
/** Changes that leave the stored chunks cut the old way until the folders are indexed again. */
const NEEDS_REINDEX: SettingKey[] = ['chunkTokens', 'chunkOverlap', 'embedderModel'];
type ChoiceKey = 'rerankMode' | 'normalisation' | 'retrievalFusion' | 'executionProvider' | 'llmBackend' | 'language' | 'retrieval';
const CHOICES: Record<ChoiceKey, readonly string[]> = {
  rerankMode: RERANK_MODES, normalisation: NORMALISATIONS, retrievalFusion: RETRIEVAL_FUSIONS,
  executionProvider: EXECUTION_PROVIDERS, llmBackend: LLM_BACKENDS, language: LANGUAGES, retrieval: RETRIEVAL_MODES,
};

const label = (k: SettingKey) => k as StringKey;
const help = (k: SettingKey) => `help_${k}` as StringKey;

export function SettingsScreen() {
  const { t, settings, setSettings, draft, setDraft, host, session, refreshStatus, status, navigate } = useApp();
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const [reindex, setReindex] = useState<'offer' | 'started' | null>(null);
  const [llmModels, setLlmModels] = useState<{ backend: string; models: string[]; error?: AppError }>({ backend: '', models: [] });
  const [alpha, setAlpha] = useState<number | null>(null);
  const [alphaState, setAlphaState] = useState<'idle' | 'applying' | 'applied'>('idle');
  const [previewing, setPreviewing] = useState(false);
  const [browsingGguf, setBrowsingGguf] = useState(false);
  const previewSeq = useRef(0);
  const alphaTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const loadModels = () => {
    host.api.call('listLlmModels', {}).then((r) => setLlmModels(r), (e) => setLlmModels({ backend: '', models: [], error: appErrorOf(e) }));
  };
  useEffect(loadModels, [host]);
  useEffect(() => () => { if (alphaTimer.current) clearTimeout(alphaTimer.current); }, []);

  if (!settings) return <p>{t('loading')}</p>;
  const changes = changedFields(settings, draft ?? {});
  const view: Settings = { ...settings, ...changes };
  const problems = settingProblems(settings, changes, t, (k) => t(label(k)));
  const unsaved = Object.keys(changes) as SettingKey[];
  const shownAlpha = alpha ?? settings.alpha;

  const set = <K extends SettingKey>(key: K, value: Settings[K]) => {
    setSaved(false);
    setDraft({ ...(draft ?? {}), [key]: value });
  };

  // Alpha: the preview re-fuses at once; the setting is saved shortly after the slider stops, so it never lies.
  const moveAlpha = async (next: number) => {
    setAlpha(next);
    setAlphaState('applying');
    if (alphaTimer.current) clearTimeout(alphaTimer.current);
    alphaTimer.current = setTimeout(() => {
      host.api.call('updateSettings', { alpha: next }).then((s) => { setSettings(s); setAlphaState('applied'); }, (e) => setError(appErrorOf(e)));
    }, ALPHA_SAVE_DELAY_MS);
    const search = session.search;
    if (!search) return;
    const seq = ++previewSeq.current;
    setPreviewing(true);
    try {
      const result = await host.api.call('refuse', { queryId: search.queryId, params: { alpha: next } });
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
    if (Object.keys(problems).length > 0) return;
    try {
      const next = await host.api.call('updateSettings', changes);
      setSettings(next);
      setDraft(null);
      setSaved(true);
      if (NEEDS_REINDEX.some((k) => k in changes) && (status?.folders.length ?? 0) > 0) setReindex('offer');
      loadModels();
      void refreshStatus();
    } catch (err) {
      setError(appErrorOf(err));
    }
  };
  const startReindex = () => {
    setReindex('started');
    host.api.call('reindex', {}).catch((err) => setError(appErrorOf(err)));
  };

  const field = (key: SettingKey, control: ReactNode) => (
    <Field key={key} id={key} label={t(label(key))} help={t(help(key))} unsaved={key in changes} problem={problems[key]}>{control}</Field>
  );
  const num = (key: SettingKey) => {
    const b = numberBounds(key);
    return field(key, <input id={key} type="number" value={String(view[key])} min={b.min} max={b.max} step={b.step}
      aria-invalid={problems[key] ? true : undefined} onChange={(e) => set(key, (e.target.value === '' ? Number.NaN : Number(e.target.value)) as never)} />);
  };
  const choice = (key: ChoiceKey) => field(key, (
    <select id={key} value={view[key]} onChange={(e) => set(key, e.target.value as never)}>
      {CHOICES[key].map((v) => <option key={v} value={v}>{t(`choice_${v}` as StringKey)}</option>)}
    </select>
  ));
  const text = (key: 'ollamaHost' | 'hubHost') => field(key, (
    <input id={key} type="text" value={view[key]} spellCheck={false} aria-invalid={problems[key] ? true : undefined} onChange={(e) => set(key, e.target.value)} />
  ));
  const modelPicker = (key: 'embedderModel' | 'crossEncoderModel', role: ModelRole) => {
    const installed = (status?.installed ?? []).filter((m) => m.role === role && m.present).map((m) => m.id);
    const options = installed.includes(view[key]) ? installed : [view[key], ...installed];
    return field(key, (
      <select id={key} value={view[key]} onChange={(e) => set(key, e.target.value)}>
        {options.map((id) => <option key={id} value={id}>{installed.includes(id) ? id : t('notInstalled', { id })}</option>)}
      </select>
    ));
  };
  const listed = llmModels.backend === view.llmBackend ? llmModels.models : [];
  const llmPicker = (key: 'ollamaModel' | 'embeddedModelPath') => {
    const current = view[key];
    const options = current === '' || listed.includes(current) ? listed : [current, ...listed];
    return field(key, (
      <span className="picker">
        <select id={key} value={current} onChange={(e) => set(key, e.target.value)}>
          <option value="">{t('noneChosen')}</option>
          {options.map((m) => <option key={m} value={m}>{listed.includes(m) ? m : t('notInstalled', { id: m })}</option>)}
        </select>
        <button type="button" onClick={loadModels}>{t('refreshModels')}</button>
      </span>
    ));
  };

  return (
    <form className="settings" aria-label={t('settingsHeading')} onSubmit={save} noValidate>
      <h2>{t('settingsHeading')}</h2>
      {unsaved.length > 0 ? (
        <div className="unsaved-banner" role="status" data-testid="unsaved-banner">
          {t('unsavedChanges', { n: unsaved.length })}
          <button type="submit">{t('save')}</button>
          <button type="button" onClick={() => setDraft(null)}>{t('discard')}</button>
        </div>
      ) : null}
      <fieldset>
        <legend>{t('groupRanking')}</legend>
        {choice('rerankMode')}
        {num('retrieveK')}
        {num('topN')}
        <Field id="alpha" label={t('alpha')} help={t('help_alpha')}>
          <input id="alpha" type="range" min={0} max={1} step={0.05} value={shownAlpha} onChange={(e) => void moveAlpha(Number(e.target.value))} />
          <output htmlFor="alpha" data-testid="alpha-value">{shownAlpha.toFixed(2)}</output>
        </Field>
        <p className="live-note" role="status" data-testid="alpha-state" data-state={alphaState}>
          {alphaState === 'applying' ? t('alphaApplying') : t('alphaLive', { alpha: settings.alpha.toFixed(2) })}
        </p>
        <AlphaPreview search={session.search} busy={previewing} />
        {num('finalK')}
        {choice('normalisation')}
        {choice('retrievalFusion')}
        {choice('retrieval')}
        {num('bm25K1')}
        {num('bm25B')}
      </fieldset>
      <fieldset>
        <legend>{t('groupChunking')}</legend>
        {num('chunkTokens')}
        {num('chunkOverlap')}
      </fieldset>
      <fieldset>
        <legend>{t('modelsHeading')}</legend>
        {modelPicker('embedderModel', 'embedder')}
        {modelPicker('crossEncoderModel', 'cross-encoder')}
        {choice('executionProvider')}
      </fieldset>
      <fieldset>
        <legend>{t('groupLlm')}</legend>
        {choice('llmBackend')}
        {view.llmBackend === 'ollama' ? <>{text('ollamaHost')}{llmPicker('ollamaModel')}</> : (
          <>
            {llmPicker('embeddedModelPath')}
            <Field id="embeddedModelPathCustom" label={t('ggufPath')} help={t('help_ggufPath')}>
              <span className="picker">
                <input id="embeddedModelPathCustom" type="text" value={view.embeddedModelPath} spellCheck={false} onChange={(e) => set('embeddedModelPath', e.target.value)} />
                <button type="button" onClick={() => setBrowsingGguf(true)}>{t('browseButton')}</button>
              </span>
            </Field>
            {browsingGguf ? (
              <FolderBrowser show="gguf" start={view.embeddedModelPath || undefined}
                onChoose={(file) => { setBrowsingGguf(false); set('embeddedModelPath', file); }} onClose={() => setBrowsingGguf(false)} />
            ) : null}
          </>
        )}
        {llmModels.error ? <p className="hint" data-testid="llm-models-error">{t('llmModelsError', { reason: llmModels.error.message })}</p> : null}
        {llmModels.backend && llmModels.backend !== view.llmBackend ? <p className="hint">{t('saveToListModels')}</p> : null}
        {num('llmFirstTokenTimeoutMs')}
        {num('llmIdleTimeoutMs')}
        {num('llmContextTokens')}
        {num('llmMaxAnswerTokens')}
      </fieldset>
      <fieldset>
        <legend>{t('language')}</legend>
        {choice('language')}
      </fieldset>
      {error ? <ErrorNote error={error} /> : null}
      {Object.keys(problems).length > 0 ? <p className="problem" role="alert">{t('fixProblems')}</p> : null}
      {saved ? <p role="status">{t('saved')}</p> : null}
      {reindex === 'offer' ? (
        <div className="reindex-offer" role="alert" data-testid="reindex-offer">
          {t('reindexNeeded')}
          <button type="button" onClick={startReindex}>{t('reindexNow')}</button>
        </div>
      ) : null}
      {reindex === 'started' ? (
        <p role="status">{t('reindexStarted')} <button type="button" onClick={() => navigate('library')}>{t('goLibrary')}</button></p>
      ) : null}
      <div className="settings-actions">
        <button type="submit" disabled={unsaved.length === 0}>{t('save')}</button>
        <button type="button" onClick={() => setDraft(null)} disabled={unsaved.length === 0}>{t('discard')}</button>
      </div>
    </form>
  );
}

function Field({ id, label, help, unsaved, problem, children }: { id: string; label: string; help: string; unsaved?: boolean; problem?: string; children: ReactNode }) {
  const { t } = useApp();
  return (
    <div className={`field${unsaved ? ' is-unsaved' : ''}`} data-unsaved={unsaved ? 'yes' : undefined}>
      <label htmlFor={id}>{label}{unsaved ? <span className="unsaved-mark" title={t('unsaved')}> ● {t('unsaved')}</span> : null}</label>
      <div className="control">{children}</div>
      <p className="help" id={`${id}-help`}>{help}</p>
      {problem ? <p className="problem" role="alert" data-testid={`problem-${id}`}>{problem}</p> : null}
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
          <li key={c.chunkId} data-chunk={c.chunkId}>{where(c, (page) => t('passagePage', { page }))} ({c.finalScore.toFixed(3)})</li>
        ))}
      </ol>
    </section>
  );
}
