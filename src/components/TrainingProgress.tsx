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

/** One line of progress (epoch, step, throughput, ETA) and the backend in use. */
export function TrainingProgress({ state }: { state: TrainerState }) {
  const b = state.lastBatch;
  const epochsTotal = state.totalEpochs;
  const epochNow = b ? Math.min(epochsTotal, Math.floor(b.epoch) + 1) : state.epochs.length;
  const pct = b && epochsTotal ? Math.min(100, (100 * b.epoch) / epochsTotal) : state.status === 'done' ? 100 : 0;
  const active = state.status === 'training' || state.status === 'paused';
  return (
    <section className="panel progress-panel" aria-label="Training progress">
      <div className="progress-line" data-testid="progress-line" data-step={b?.step ?? 0}>
        {active || b ? (
          <>
            <span>
              Epoch <strong data-testid="epoch-counter">{epochNow}</strong>/{epochsTotal}
            </span>
            <span>step {b?.step.toLocaleString('en-US') ?? 0}</span>
            <span>{b ? `${Math.round(b.samplesPerSec).toLocaleString('en-US')} samples/s` : '–'}</span>
            <span>{active ? `ETA ${formatDuration(b?.etaMs ?? NaN)}` : state.run ? `took ${formatDuration(state.run.elapsedMs)}` : ''}</span>
          </>
        ) : (
          <span className="muted" data-testid="model-description">
            {state.model.source === 'none'
              ? 'Not trained yet: press Train to run the reference recipe.'
              : `Model: ${state.model.description}. Press Train to train a new one.`}
          </span>
        )}
        <span className="backend">
          {state.backend ? (
            <>
              <span data-testid="backend-name">{BACKEND_LABEL[state.backend.name] ?? state.backend.name}</span>
              <span className="muted" data-testid="gpu-name" title={state.backend.renderer}>
                {' '}
                · {state.backend.renderer}
              </span>
            </>
          ) : (
            <span className="muted">starting backend…</span>
          )}
        </span>
      </div>
      <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} aria-label="Training progress">
        <div style={{ width: `${pct}%` }} />
      </div>
      {state.backend?.note && (
        <p className="note" data-testid="backend-note">
          {state.backend.note}
        </p>
      )}
    </section>
  );
}
