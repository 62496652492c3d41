import type { TrainerState } from '../client/trainerState';
import type { RunSummary } from '../shared/protocol';
import { REFERENCE_TEST_ACCURACY } from '../shared/constants';
import { isReferenceRun } from './referenceRun';
import type { RunVerdict } from './runVerdict';

/** What happened in the run, in words, coloured by its kind (run-verdict, data-verdict = the kind). */
export function RunVerdictLine({ verdict }: { verdict: RunVerdict }) {
  return (
    <p className={`run-verdict verdict-text-${verdict.kind}`} data-testid="run-verdict" data-verdict={verdict.kind} role="status">
      <strong>{verdict.headline}</strong>
      {verdict.advice && <> {verdict.advice}</>}
    </p>
  );
}

/**
 * The final test-set figures, prominently, coloured by the run's verdict (chance is never green),
 * with the verdict in words. Beside the reference figure only when the run used the reference
 * recipe; otherwise the reference is a sentence, not a comparison.
 */
export function TestResult({ state, verdict }: { state: TrainerState; verdict: RunVerdict | null }) {
  const { report, run } = state;
  if (!report) return verdict ? <RunVerdictLine verdict={verdict} /> : null;
  const acc = report.testAccuracy;
  // A run that continued earlier weights (epochOffset > 0) trained more than the recipe says.
  const reference = state.epochOffset === 0 && isReferenceRun(state.model.config, run);
  const referenceText = `${(REFERENCE_TEST_ACCURACY * 100).toFixed(1)}%`;
  return (
    <div className={`test-result${verdict ? ` verdict-${verdict.kind}` : ''}`} aria-live="polite">
      <div className="big-figure">
        <span className="label">Test accuracy</span>
        <strong data-testid="test-accuracy" data-value={acc}>
          {(acc * 100).toFixed(2)}%
        </strong>
        <span className="muted">of the 10,000 test images</span>
      </div>
      <div className="big-figure small">
        <span className="label">Test loss</span>
        <strong data-testid="test-loss" data-value={report.testLoss}>
          {report.testLoss.toFixed(4)}
        </strong>
      </div>
      {reference && (
        <div className="big-figure small" data-testid="reference-comparison">
          <span className="label">Reference</span>
          <strong>{referenceText}</strong>
          <span className="muted">the same recipe in scikit-learn</span>
        </div>
      )}
      {verdict && <RunVerdictLine verdict={verdict} />}
      {(run || !reference) && (
        <p className="muted run-note">
          {run && (
            <span data-testid="run-note">
              {runNote(run)}, {(run.elapsedMs / 1000).toFixed(1)} s
            </span>
          )}
          {run && !reference && ' · '}
          {!reference && (
            <span data-testid="reference-note">
              The reference recipe (the default settings, 10 epochs on 48,000 images) reaches {referenceText}.
            </span>
          )}
        </p>
      )}
    </div>
  );
}

/**
 * How a run ended, in words: "10 epochs", "stopped early after 7 epochs",
 * "stopped in epoch 1 at step 210 of 1,500".
 */
export function runNote(run: Pick<RunSummary, 'outcome' | 'steps' | 'stepsPerEpoch'>): string {
  const full = Math.floor(run.steps / run.stepsPerEpoch);
  const step = run.steps % run.stepsPerEpoch;
  const epochs = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;
  if (run.outcome === 'early-stopped') return `stopped early after ${epochs(full)}`;
  if (run.outcome === 'stopped' || run.outcome === 'cancelled') {
    const verb = run.outcome === 'stopped' ? 'stopped' : 'cancelled';
    if (step === 0) return `${verb} after ${epochs(full)}`;
    return `${verb} in epoch ${full + 1} at step ${step.toLocaleString('en-US')} of ${run.stepsPerEpoch.toLocaleString('en-US')}`;
  }
  return epochs(full);
}
