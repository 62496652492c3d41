import { useState } from 'react';
import { useConfigForm } from './client/useConfigForm';
import { useTrainer } from './client/useTrainer';
import { ControlsPanel } from './components/ControlsPanel';
import { Curves } from './components/Curves';
import { DataStatus } from './components/DataStatus';
import { ErrorBanner } from './components/ErrorBanner';
import { TestResult } from './components/TestResult';
import { TrainingProgress } from './components/TrainingProgress';

const STATUS_TEXT: Record<string, string> = {
  'loading-data': 'Loading data',
  ready: 'Ready',
  training: 'Training',
  paused: 'Paused',
  done: 'Done',
  error: 'Error',
};

export function App() {
  const trainer = useTrainer();
  const form = useConfigForm();
  const [continueTraining, setContinueTraining] = useState(false);
  const { state } = trainer;
  const canContinue = state.model.source !== 'none';
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          MNIST <span>playground</span>
        </h1>
        <p className="tagline">Watch a neural network learn to read handwritten digits, live, in your browser.</p>
        <span className="status" data-testid="app-status" data-state={state.status} role="status">
          {STATUS_TEXT[state.status]}
        </span>
      </header>
      {state.error && (
        <ErrorBanner
          error={state.error}
          onDismiss={trainer.dismissError}
          onRestart={trainer.restart}
          onLowerLearningRate={() => form.setField('learningRate', String(form.config.learningRate / 10))}
          onBackend={(b) => form.setField('backend', b)}
        />
      )}
      <DataStatus state={state} />
      <div className="layout">
        <ControlsPanel
          form={form}
          status={state.status}
          canContinue={canContinue}
          continueTraining={continueTraining}
          onContinueChange={setContinueTraining}
          onTrain={() => trainer.train(form.config, continueTraining && canContinue)}
          onPause={() => trainer.send({ type: 'pause' })}
          onResume={() => trainer.send({ type: 'resume' })}
          onStop={() => trainer.send({ type: 'stop' })}
          onReset={() => trainer.send({ type: 'reset' })}
        />
        <div className="center">
          <TrainingProgress state={state} />
          <TestResult state={state} />
          <Curves batches={state.batches} epochs={state.epochs} totalEpochs={state.totalEpochs} />
        </div>
      </div>
    </div>
  );
}
