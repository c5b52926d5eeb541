// From nothing to a first answer: what is missing, why, and the one place to fix it. Hidden once all is ready.
import { ErrorNote } from '../components/ErrorNote.js';
import type { StringKey } from '../i18n/strings.js';
import { useApp } from '../state/app-context.js';

export function FirstRunPanel() {
  const { t, status, navigate } = useApp();
  if (!status) return null;
  const hasFolder = status.folders.length > 0;
  const searchModels = status.models.filter((m) => m.role !== 'llm');
  const missingModels = searchModels.filter((m) => !m.present);
  const llmOk = status.llm.status === 'ok';
  if (hasFolder && missingModels.length === 0 && llmOk) return null;

  return (
    <section className="first-run" aria-label={t('firstRunHeading')} data-testid="first-run">
      <h2>{t('firstRunHeading')}</h2>
      <ol>
        <li className={hasFolder ? 'done' : 'todo'} data-testid="step-folder">
          {hasFolder ? t('stepFolderDone', { count: status.folders.length }) : t('stepFolder')}
          {!hasFolder ? <button type="button" onClick={() => navigate('library')}>{t('goLibrary')}</button> : null}
        </li>
        <li className={missingModels.length === 0 ? 'done' : 'todo'} data-testid="step-models">
          {missingModels.length === 0 ? t('stepModelsDone') : t('stepModels')}
          {missingModels.map((m) => (
            <p key={m.id} className="missing-model">{m.id} ({t(`role_${m.role}` as StringKey)}): {t('missing')}{m.howToGet ? ` — ${t('howToGet', { how: m.howToGet })}` : ''}</p>
          ))}
          {missingModels.length ? <button type="button" onClick={() => navigate('library')}>{t('goLibrary')}</button> : null}
        </li>
        <li className={llmOk ? 'done' : 'todo'} data-testid="step-llm">
          {llmOk ? t('stepLlmDone', { backend: status.llm.backend, model: status.llm.model ?? '' }) : t('stepLlm')}
          {status.llm.status !== 'ok' ? <ErrorNote error={status.llm.error} /> : null}
          {!llmOk ? <button type="button" onClick={() => navigate('settings')}>{t('goSettings')}</button> : null}
        </li>
      </ol>
      {!llmOk && hasFolder ? <p>{t('searchWithoutLlm')}</p> : null}
    </section>
  );
}
