import type { TrainerState } from '../client/trainerState';

/** Formats milliseconds as "1:05" or "42 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

const BACKEND_LABEL: Record<string, string> = { webgl: 'WebGL', webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' };

/** What the backends are, for a visitor who has not met the words. */
const BACKEND_PLAIN: Record<string, string> = {
  webgl: 'the graphics card, through WebGL',
  webgpu: 'the graphics card, through WebGPU',
  wasm: 'the processor, through WebAssembly',
  cpu: 'the processor, in plain JavaScript (slowest)',
};

/** Where the current run is: epoch (1-based, as shown), percent done, active or not. */
function runPosition(state: TrainerState) {
  const b = state.lastBatch;
  const epochsTotal = state.totalEpochs;
  const epochNow = b ? Math.min(epochsTotal, Math.floor(b.epoch) + 1) : state.epochs.length;
  const pct = b && epochsTotal ? Math.min(100, (100 * b.epoch) / epochsTotal) : state.status === 'done' ? 100 : 0;
  const active = state.status === 'training' || state.status === 'paused';
  return { b, epochsTotal, epochNow, pct, active };
}

/**
 * One line of progress (epoch, step, throughput, ETA), or what the current model is; a bar;
 * and, as a quiet details line, the backend in use and why it was chosen. Every line is
 * there from the first render, so nothing moves when the backend or the first batch arrives.
 */
export function TrainingProgress({ state }: { state: TrainerState }) {
  const { b, epochsTotal, epochNow, pct, active } = runPosition(state);
  const backend = state.backend;
  return (
    <section className="panel progress-panel" aria-label="Training progress">
      <div className="progress-line" data-testid="progress-line" data-step={b?.step ?? 0}>
        {active || b ? (
          <>
            <span>
              Epoch <strong data-testid="epoch-counter">{epochNow}</strong>/{epochsTotal}
            </span>
            <span>step {b?.step.toLocaleString('en-US') ?? 0}</span>
            <span>{b ? `${Math.round(b.samplesPerSec).toLocaleString('en-US')} images/s` : '–'}</span>
            <span>
              {active ? `ETA ${formatDuration(b?.etaMs ?? NaN)}` : state.run ? `took ${formatDuration(state.run.elapsedMs)}` : ''}
            </span>
          </>
        ) : (
          <span className="muted" data-testid="model-description">
            {state.model.source === 'none'
              ? 'Not trained yet: press Train to run the reference recipe.'
              : `Model: ${state.model.description}. Press Train to train a new one.`}
          </span>
        )}
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-label="Training progress"
      >
        <div style={{ width: `${pct}%` }} />
      </div>
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
 * The run at a glance for the compact run bar beside Train/Pause/Stop (sticky on phones):
 * "Epoch 3/10 · 0:12 left" over a thin bar. Decorative for screen readers: the progress
 * panel says the same with a named progressbar.
 */
export function RunProgressMini({ state }: { state: TrainerState }) {
  const { b, epochsTotal, epochNow, pct, active } = runPosition(state);
  let text = '';
  if (active)
    text = `Epoch ${epochNow}/${epochsTotal}${b ? ` · ${formatDuration(b.etaMs)} left` : ''}${state.status === 'paused' ? ' · paused' : ''}`;
  else if (state.status === 'done' && state.report) text = `Done: ${(state.report.testAccuracy * 100).toFixed(1)}% on the test set`;
  else if (state.status === 'loading-data') text = 'Loading the digits…';
  else text = 'Press Train to teach a fresh network.';
  return (
    <div className="run-mini" aria-hidden="true" data-testid="run-mini">
      <span className="run-mini-text">{text}</span>
      <span className="run-mini-bar">
        <span style={{ width: `${pct}%` }} />
      </span>
    </div>
  );
}
