import { memo, useSyncExternalStore, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { tr } from '../i18n/message';
import type { TrainerState } from '../client/trainerState';
import type { RaceEntry } from '../shared/protocol';
import type { Eta, RunClockStore } from './runClock';
import { verdictShort, type RunVerdict } from './runVerdict';
import { RunSparkline } from './RunSparkline';

/** "about 0:12 left", or "about 40 s left (estimate)" until this run's own rate is measured. */
export function etaText(t: TFunction, eta: Eta | null): string {
  if (!eta) return '';
  return t(eta.basis === 'estimate' ? 'progress.etaEstimate' : 'progress.eta', { ms: eta.ms });
}

const BACKEND_LABEL: Record<string, string> = { webgl: 'WebGL', webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' };
const PLAIN = new Set(['webgl', 'webgpu', 'wasm', 'cpu'] as const);
type Plain = typeof PLAIN extends Set<infer T> ? T : never;

/**
 * The backend race in the reader's words, from its entries (the worker's note says the same in
 * English): "WASM 34,581 images/s · CPU did not start → WASM".
 */
export function raceLine(t: TFunction, race: readonly RaceEntry[], winner: string): string {
  const entries = race.map((e) =>
    e.samplesPerSec === null
      ? t('progress.raceFailed', { backend: BACKEND_LABEL[e.backend] ?? e.backend })
      : `${BACKEND_LABEL[e.backend] ?? e.backend} ${t('progress.speed', { n: Math.round(e.samplesPerSec) })}`,
  );
  return t('progress.raceLine', { entries: entries.join(' · '), winner: BACKEND_LABEL[winner] ?? winner });
}

/** The current model in words: from its facts in the reader's language, else the worker's description. */
export function modelDescription(t: TFunction, model: TrainerState['model']): string {
  const f = model.facts;
  if (!f) return model.description;
  const sizes = f.sizes.join('-');
  const accuracy = model.testAccuracy;
  if (f.kind === 'bundled') {
    const base = f.robust ? 'robust' : 'bundled';
    return accuracy === null ? t(`progress.desc.${base}`, { sizes }) : t(`progress.desc.${base}Acc`, { sizes, accuracy });
  }
  const count = Number.isInteger(f.epochs) ? f.epochs : Number(f.epochs.toFixed(2));
  return accuracy === null ? t('progress.desc.trained', { sizes, count }) : t('progress.desc.trainedAcc', { sizes, count, accuracy });
}

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
  const { t } = useTranslation();
  const eta = useSyncExternalStore(clock.subscribe, clock.getSnapshot);
  return (
    <span data-testid="run-eta" data-basis={eta?.basis ?? ''}>
      {etaText(t, eta)}
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
  const { t, i18n } = useTranslation();
  const { b, epochsTotal, epochNow, done, active, starting } = runPosition(state);
  const backend = state.backend;
  const english = i18n.resolvedLanguage !== 'zh-CN';
  const plain = backend && PLAIN.has(backend.name as Plain) ? t(`progress.plain.${backend.name as Plain}`) : (backend?.name ?? '');
  return (
    <section className={`panel progress-panel${verdict ? ` verdict-${verdict.kind}` : ''}`} aria-label={t('progress.label')}>
      <div className="progress-line" data-testid="progress-line" data-step={b?.step ?? 0}>
        {starting ? (
          <span className="muted" data-testid="run-starting">
            {backend ? t('progress.startingData') : t('progress.startingBackend')} <EtaLine clock={clock} />
          </span>
        ) : active || b ? (
          <>
            <span>
              {t('progress.epoch')} <strong data-testid="epoch-counter">{epochNow}</strong>/{epochsTotal}
            </span>
            <span>{t('progress.step', { n: b?.step ?? 0 })}</span>
            <span>{b ? t('progress.speed', { n: Math.round(b.samplesPerSec) }) : '–'}</span>
            {active ? <EtaLine clock={clock} /> : state.run && <span>{t('progress.took', { ms: state.run.elapsedMs })}</span>}
          </>
        ) : (
          <span className="muted" data-testid="model-description">
            {state.model.source === 'none'
              ? t('progress.notTrained')
              : t('progress.model', { description: modelDescription(t, state.model) })}
          </span>
        )}
      </div>
      <ProgressBar done={done} label={t('progress.label')} />
      {result}
      <details className="backend-details">
        <summary className="muted">
          {backend ? (
            <>
              {t('progress.trainsOn')} <span data-testid="backend-name">{BACKEND_LABEL[backend.name] ?? backend.name}</span>
              <span className="backend-plain">
                {t('progress.colon')}
                {plain}
              </span>
            </>
          ) : (
            t('progress.engineStarting')
          )}
        </summary>
        {backend && (
          <div className="backend-more">
            {english ? (
              <>
                <p data-testid="gpu-name">{backend.renderer}</p>
                {backend.note && <p data-testid="backend-note">{backend.note}</p>}
              </>
            ) : (
              <>
                {backend.race && backend.race.length > 1 && <p data-testid="backend-race">{raceLine(t, backend.race, backend.name)}</p>}
                <p className="error-detail" lang="en" data-testid="gpu-name">
                  {backend.renderer}
                </p>
                {backend.note && (
                  <p className="error-detail" lang="en" data-testid="backend-note">
                    {t('errors.detail', { detail: backend.note })}
                  </p>
                )}
              </>
            )}
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
  const { t } = useTranslation();
  const { epochsTotal, epochNow, done, active, starting } = runPosition(state);
  let text: ReactNode;
  if (starting) text = t('progress.startingShort');
  else if (active)
    text = (
      <>
        {t('progress.miniEpoch', { n: epochNow, total: epochsTotal })}
        <EtaLine clock={clock} />
        {state.status === 'paused' ? t('progress.miniPaused') : ''}
      </>
    );
  else if (state.status === 'done' && state.report)
    text = (
      <span className={verdict ? `verdict-text-${verdict.kind}` : undefined}>
        {verdict
          ? t('progress.miniDoneVerdict', { accuracy: state.report.testAccuracy, verdict: tr(t, verdictShort(verdict.kind)) })
          : t('progress.miniDone', { accuracy: state.report.testAccuracy })}
      </span>
    );
  else if (state.status === 'loading-data') text = t('progress.loadingDigits');
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
