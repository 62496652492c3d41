import { useCallback, useState } from 'react';
import { useConfigForm } from './client/useConfigForm';
import { useThrottled } from './client/useThrottled';
import { useTrainer } from './client/useTrainer';
import { DrawingPad, type ExternalInput } from './drawing/DrawingPad';
import { usePadInput } from './drawing/usePadInput';
import { MineAndThink } from './components/mine/MineAndThink';
import { ControlsPanel } from './components/ControlsPanel';
// Curves (recharts) and the insight views load after the first paint, in their own chunks.
import { Curves, InsightSection } from './components/LazyViews';
import { DataStatus } from './components/DataStatus';
import { ErrorBanner } from './components/ErrorBanner';
import { TestResult } from './components/TestResult';
import { RunProgressMini, TrainingProgress } from './components/TrainingProgress';
import { FirstVisitIntro } from './components/FirstVisitIntro';
import { TryTestDigit } from './components/TryTestDigit';
import { Experiments } from './components/experiments/Experiments';

const STATUS_TEXT: Record<string, string> = {
  'loading-data': 'Loading data',
  ready: 'Ready',
  training: 'Training',
  paused: 'Paused',
  done: 'Done',
  error: 'Error',
};

/** A small stable hash so a change of model text changes refreshKey. */
function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

export function App() {
  const trainer = useTrainer();
  const form = useConfigForm();
  const [continueTraining, setContinueTraining] = useState(false);
  const { state } = trainer;
  const canContinue = state.model.source !== 'none';
  const [inspected, setInspected] = useState<ExternalInput | null>(null);
  const pad = usePadInput();
  const inspect = useCallback(
    (pixels: Float32Array, label: string) => setInspected((prev) => ({ pixels, label, key: (prev?.key ?? 0) + 1 })),
    [],
  );
  // The drawing is predicted again whenever the weights change: a few times a second while training, and on a new model.
  const liveStep = useThrottled(state.lastBatch?.step ?? 0, 250);
  const refreshKey = liveStep + hashString(`${state.model.version}|${state.model.description}|${state.epochs.length}`);
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
      <main className="app-main">
        <FirstVisitIntro />
        {state.error && (
          <ErrorBanner
            error={state.error}
            onDismiss={trainer.dismissError}
            onRestart={trainer.restart}
            onLowerLearningRate={() => form.setField('learningRate', String(form.config.learningRate / 10))}
            onBackend={(b) => form.setField('backend', b)}
          />
        )}
        {state.notice && (
          <p className="notice" role="status" data-testid="notice">
            {state.notice}{' '}
            <button type="button" className="link" onClick={trainer.dismissNotice}>
              OK
            </button>
          </p>
        )}
        <DataStatus state={state} />
        <div className="layout">
          <ControlsPanel
            form={form}
            status={state.status}
            can={trainer.can}
            canContinue={canContinue}
            continueTraining={continueTraining}
            onContinueChange={setContinueTraining}
            onTrain={() => trainer.train(form.config, continueTraining && canContinue)}
            onPause={trainer.pause}
            onResume={trainer.resume}
            onStop={trainer.stop}
            onReset={trainer.reset}
            runProgress={<RunProgressMini state={state} />}
          />
          <div className="center">
            <TrainingProgress state={state} />
            <TestResult state={state} />
            <Curves batches={state.batches} epochs={state.epochs} totalEpochs={state.totalEpochs} />
          </div>
          <section className="panel draw" aria-labelledby="draw-title">
            <div className="draw-head">
              <h2 id="draw-title">Draw a digit</h2>
              <TryTestDigit dataset={state.dataset} onLoad={inspect} />
            </div>
            <DrawingPad
              predict={trainer.predict}
              refreshKey={refreshKey}
              externalInput={inspected}
              onInput={pad.onInput}
              clearKey={pad.clearKey}
            />
          </section>
        </div>
        <MineAndThink trainer={trainer} config={form.config} pad={pad} refreshKey={refreshKey} />
        <InsightSection trainer={trainer} onInspect={inspect} />
        <Experiments trainer={trainer} form={form} />
      </main>
      <footer className="app-footer muted">
        Data: MNIST (LeCun, Cortes, Burges). Everything runs in this page: the data, the training and your drawings never leave your
        machine.
      </footer>
    </div>
  );
}
