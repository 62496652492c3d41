import { useTranslation } from 'react-i18next';
import type { TrainerState } from '../client/trainerState';
import type { BackendChoice } from '../shared/trainConfig';
import { sentences } from '../i18n/message';
import { alternativeBackends } from './recovery';

interface Props {
  error: NonNullable<TrainerState['error']>;
  onDismiss(): void;
  /** Restart the worker and reload the data. */
  onRestart(): void;
  /** Divide the learning rate by 10 in the form. */
  onLowerLearningRate(): void;
  /** Choose another backend in the form. */
  onBackend(backend: BackendChoice): void;
}

const TITLED = new Set(['data', 'nan', 'context-lost', 'oom', 'config', 'backend', 'model', 'crash', 'network', 'internal'] as const);
type Titled = typeof TITLED extends Set<infer T> ? T : never;
const titled = (code: string): Titled => (TITLED.has(code as Titled) ? (code as Titled) : 'internal');

/**
 * A failure, in words, with a way forward for each kind: the headline and the advice in the
 * reader's language (by error code); the page's own words when it noticed the failure itself;
 * the worker's English message as the body in English, as a technical detail in another language.
 */
export function ErrorBanner({ error, onDismiss, onRestart, onLowerLearningRate, onBackend }: Props) {
  const { t, i18n } = useTranslation();
  const english = i18n.resolvedLanguage !== 'zh-CN';
  const code = titled(error.code);
  const restartable =
    error.code === 'data' ||
    error.code === 'network' ||
    error.code === 'crash' ||
    error.code === 'internal' ||
    error.code === 'context-lost';
  return (
    <div className="error-banner" role="alert" data-testid="error-message" data-code={error.code}>
      <strong>{t(`errors.titles.${code}`)}</strong>
      {error.text ? (
        <p>{sentences(t, error.text)}</p>
      ) : english ? (
        <p>{error.message}</p>
      ) : (
        <>
          <p>{t(`errors.advice.${code}`)}</p>
          <p className="error-detail" lang="en">
            {t('errors.detail', { detail: error.message })}
          </p>
        </>
      )}
      <div className="actions">
        {restartable && (
          <button type="button" onClick={onRestart} data-testid="retry-button">
            {error.code === 'data' || error.code === 'network' ? t('errors.retry') : t('errors.restart')}
          </button>
        )}
        {error.code === 'nan' && (
          <button
            type="button"
            onClick={() => {
              onLowerLearningRate();
              onDismiss();
            }}
            data-testid="lower-lr-button"
          >
            {t('errors.lowerRate')}
          </button>
        )}
        {(error.code === 'context-lost' || error.code === 'backend' || error.code === 'oom') &&
          alternativeBackends(error.backend).map((b) => (
            <button
              key={b}
              type="button"
              className="secondary"
              onClick={() => {
                onBackend(b);
                onDismiss();
              }}
            >
              {t('errors.useBackend', { backend: t(`errors.backendLabel.${b}`) })}
            </button>
          ))}
        <button type="button" onClick={onDismiss} className="secondary" data-testid="dismiss-error">
          {t('errors.dismiss')}
        </button>
      </div>
    </div>
  );
}
