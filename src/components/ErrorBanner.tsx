import type { TrainerState } from '../client/trainerState';
import type { BackendChoice } from '../shared/trainConfig';
import { alternativeBackends, BACKEND_LABELS } from './recovery';

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

const TITLES: Record<string, string> = {
  data: 'The MNIST data could not be loaded',
  nan: 'Training diverged',
  'context-lost': 'The GPU context was lost',
  oom: 'Out of memory',
  config: 'Invalid settings',
  backend: 'That backend is not available',
  model: 'That model file cannot be used',
  crash: 'The training worker crashed',
  network: 'No network connection',
  internal: 'Something went wrong',
};

/** A failure, in words, with a way forward for each kind. */
export function ErrorBanner({ error, onDismiss, onRestart, onLowerLearningRate, onBackend }: Props) {
  const restartable =
    error.code === 'data' ||
    error.code === 'network' ||
    error.code === 'crash' ||
    error.code === 'internal' ||
    error.code === 'context-lost';
  return (
    <div className="error-banner" role="alert" data-testid="error-message" data-code={error.code}>
      <strong>{TITLES[error.code] ?? TITLES.internal}</strong>
      <p>{error.message}</p>
      <div className="actions">
        {restartable && (
          <button type="button" onClick={onRestart} data-testid="retry-button">
            {error.code === 'data' || error.code === 'network' ? 'Retry' : 'Restart the worker'}
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
            Lower the learning rate ×0.1
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
              Use the {BACKEND_LABELS[b]} backend
            </button>
          ))}
        <button type="button" onClick={onDismiss} className="secondary" data-testid="dismiss-error">
          Dismiss
        </button>
      </div>
    </div>
  );
}
