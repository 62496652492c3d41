import type { TrainerState } from '../client/trainerState';

/** A failure, in words, with a way forward. */
export function ErrorBanner({
  error,
  onDismiss,
  onRestart,
}: {
  error: NonNullable<TrainerState['error']>;
  onDismiss: () => void;
  onRestart: () => void;
}) {
  const fatal = error.code === 'data' || error.code === 'crash' || error.code === 'internal';
  return (
    <div className="error-banner" role="alert" data-testid="error-message" data-code={error.code}>
      <strong>{title(error.code)}</strong>
      <p>{error.message}</p>
      <div className="actions">
        {fatal ? (
          <button type="button" onClick={onRestart} data-testid="retry-button">
            Retry
          </button>
        ) : null}
        <button type="button" onClick={onDismiss} className="secondary">
          Dismiss
        </button>
      </div>
    </div>
  );
}

function title(code: string): string {
  switch (code) {
    case 'data':
      return 'The MNIST data could not be loaded';
    case 'nan':
      return 'Training diverged';
    case 'context-lost':
      return 'The GPU context was lost';
    case 'oom':
      return 'Out of memory';
    case 'config':
      return 'Invalid settings';
    case 'backend':
      return 'That backend is not available';
    case 'model':
      return 'That model file cannot be used';
    case 'crash':
      return 'The training worker crashed';
    default:
      return 'Something went wrong';
  }
}
