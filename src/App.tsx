import { useTrainer } from './client/useTrainer';
import { DataStatus } from './components/DataStatus';
import { ErrorBanner } from './components/ErrorBanner';

export function App() {
  const trainer = useTrainer();
  const { state } = trainer;
  return (
    <div className="app">
      <header className="app-header">
        <h1>MNIST playground</h1>
        <p className="tagline">Watch a neural network learn to read handwritten digits, live, in your browser.</p>
        <span className="status" data-testid="app-status" data-state={state.status} role="status">
          {statusText(state.status)}
        </span>
      </header>
      <main>
        {state.error && <ErrorBanner error={state.error} onDismiss={trainer.dismissError} onRestart={trainer.restart} />}
        <DataStatus state={state} />
      </main>
    </div>
  );
}

function statusText(status: string): string {
  switch (status) {
    case 'loading-data':
      return 'Loading data';
    case 'ready':
      return 'Ready';
    case 'training':
      return 'Training';
    case 'paused':
      return 'Paused';
    case 'done':
      return 'Done';
    default:
      return 'Error';
  }
}
