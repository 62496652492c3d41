import { memo, useSyncExternalStore, type ReactNode } from 'react';
import type { TrainerState } from '../client/trainerState';
import type { Eta, RunClockStore } from './runClock';
import { VERDICT_SHORT, type RunVerdict } from './runVerdict';
import { RunSparkline } from './RunSparkline';

/** Formats milliseconds as "1:05" or "42 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return `${m}:${String(s % 60).padStart(2, '0')}`;
  }
  const h = Math.floor(s / 3600);
  return `${h} h ${String(Math.round((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** "about 0:12 left", or "about 40 s left (estimated before the start)" until this run's own rate is measured. */
export function etaText(eta: Eta | null): string {
  if (!eta) return '';
  const left = `about ${formatDuration(eta.ms)} left`;
  return eta.basis === 'estimate' ? `${left} (estimate)` : left;
}

const BACKEND_LABEL: Record<string, string> = { webgl: 'WebGL', webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' };

/** What the backends are, for a visitor who has not met the words. */
const BACKEND_PLAIN: Record<string, string> = {
  webgl: 'the graphics card, through WebGL',
  webgpu: 'the graphics card, through WebGPU',
  wasm: 'the processor, through WebAssembly',
  cpu: 'the processor, in plain JavaScript (slowest)',
};

/** Where the current run is: epoch (1-based, as shown), share done, active, started streaming. */
export function runPosition(state: TrainerState) {
  const b = state.lastBatch;
  const epochsTotal = state.totalEpochs;
  const epochNow = b ? Math.min(epochsTotal, Math.floor(b.epoch) + 1) : state.epochs.length;
  const done = b && epochsTotal ? Math.min(1, b.epoch / epochsTotal) : state.status === 'done' ? 1 : 0;
  const active = state.status === 'training' || state.status === 'paused';
  /** A run was asked for but its first batch has not come yet (choosing a backend, preparing the data). */
  const starting = (active || state.trainPending) && !b;
  return { b, epochsTotal, epochNow, done, active, starting };
}

/** The time left, from the page's run clock (re-renders only this text). */
function EtaLine({ clock }: { clock: RunClockStore }) {
  const eta = useSyncExternalStore(clock.subscribe, clock.getSnapshot);
  return (
    <span data-testid="run-eta" data-basis={eta?.basis ?? ''}>
      {etaText(eta)}
    </span>
  );
}

/** A bar that fills by `transform` (composited: no layout per update). */
export function ProgressBar({ done, label, className = 'bar' }: { done: number; label?: string; className?: string }) {
  const fill = <span className="bar-fill" style={{ transform: `scaleX(${Math.min(1, Math.max(0, done)).toFixed(4)})` }} />;
  if (!label)
    return (
      <span className={className} aria-hidden="true">
        {fill}
      </span>
    );
  return (
    <div
      className={className}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(done * 100)}
      aria-label={label}
    >
      {fill}
    </div>
  );
}

/**
 * The run panel, at the top of the curves: one line of progress (epoch, step, throughput, time
 * left), or what the current model is; a bar; the result when a run ends (`result`); and, as a
 * quiet details line, the backend in use and why it was chosen. Every line is there from the
 * first render, so nothing moves when the backend or the first batch arrives.
 */
export function TrainingProgress({
  state,
  clock,
  verdict,
  result,
}: {
  state: TrainerState;
  clock: RunClockStore;
  verdict: RunVerdict | null;
  result?: ReactNode;
}) {
  const { b, epochsTotal, epochNow, done, active, starting } = runPosition(state);
  const backend = state.backend;
  return (
    <section className={`panel progress-panel${verdict ? ` verdict-${verdict.kind}` : ''}`} aria-label="Training progress">
      <div className="progress-line" data-testid="progress-line" data-step={b?.step ?? 0}>
        {starting ? (
          <span className="muted" data-testid="run-starting">
            Starting: {backend ? 'preparing the images and the network' : 'choosing the fastest backend'}… <EtaLine clock={clock} />
          </span>
        ) : active || b ? (
          <>
            <span>
              Epoch <strong data-testid="epoch-counter">{epochNow}</strong>/{epochsTotal}
            </span>
            <span>step {b?.step.toLocaleString('en-US') ?? 0}</span>
            <span>{b ? `${Math.round(b.samplesPerSec).toLocaleString('en-US')} images/s` : '–'}</span>
            {active ? <EtaLine clock={clock} /> : state.run && <span>took {formatDuration(state.run.elapsedMs)}</span>}
          </>
        ) : (
          <span className="muted" data-testid="model-description">
            {state.model.source === 'none'
              ? 'Not trained yet: press Train to run the reference recipe.'
              : `Model: ${state.model.description}. Press Train to train a new one.`}
          </span>
        )}
      </div>
      <ProgressBar done={done} label="Training progress" />
      {result}
      <details className="backend-details">
        <summary className="muted">
          {backend ? (
            <>
              Trains on <span data-testid="backend-name">{BACKEND_LABEL[backend.name] ?? backend.name}</span>
              <span className="backend-plain">: {BACKEND_PLAIN[backend.name] ?? backend.name}</span>
            </>
          ) : (
            'Starting the training engine…'
          )}
        </summary>
        {backend && (
          <div className="backend-more">
            <p data-testid="gpu-name">{backend.renderer}</p>
            {backend.note && <p data-testid="backend-note">{backend.note}</p>}
          </div>
        )}
      </details>
    </section>
  );
}

/**
 * The run at a glance for the compact run bar beside Train/Pause/Stop (sticky on phones and
 * tablets): "Epoch 3/10 · about 0:12 left" over a thin bar, and there a live curve of the accuracy
 * (a tap shows the full curves). Decorative for screen readers: the progress panel says the same
 * with a named progressbar.
 */
export const RunProgressMini = memo(function RunProgressMini({
  state,
  clock,
  verdict,
  estimate,
  onShowCurves,
}: {
  state: TrainerState;
  clock: RunClockStore;
  verdict: RunVerdict | null;
  /** The estimate line shown before Train (run-estimate). */
  estimate: ReactNode;
  onShowCurves(): void;
}) {
  const { epochsTotal, epochNow, done, active, starting } = runPosition(state);
  let text: ReactNode;
  if (starting) text = 'Starting…';
  else if (active)
    text = (
      <>
        Epoch {epochNow}/{epochsTotal} · <EtaLine clock={clock} />
        {state.status === 'paused' ? ' · paused' : ''}
      </>
    );
  else if (state.status === 'done' && state.report)
    text = (
      <span className={verdict ? `verdict-text-${verdict.kind}` : undefined}>
        Done: {(state.report.testAccuracy * 100).toFixed(1)}% on the test set{verdict ? `, ${VERDICT_SHORT[verdict.kind]}` : ''}
      </span>
    );
  else if (state.status === 'loading-data') text = 'Loading the digits…';
  else text = null;
  const showSpark = active || starting;
  return (
    <div className="run-mini" data-testid="run-mini">
      <div className="run-mini-main">
        {text !== null ? (
          <span className="run-mini-text" aria-hidden="true">
            {text}
          </span>
        ) : (
          estimate
        )}
        <ProgressBar done={done} className="run-mini-bar" />
      </div>
      {showSpark && <RunSparkline batches={state.batches} epochs={state.epochs} totalEpochs={epochsTotal} onClick={onShowCurves} />}
    </div>
  );
});
