import type { TrainerState } from '../client/trainerState';
import { REFERENCE_TEST_ACCURACY } from '../shared/constants';

/** The final test-set figures, prominently, beside the reference recipe's. */
export function TestResult({ state }: { state: TrainerState }) {
  const { report, run } = state;
  if (!report) return null;
  const acc = report.testAccuracy;
  return (
    <section className="panel test-result" aria-live="polite">
      <div className="big-figure">
        <span className="label">Test accuracy</span>
        <strong data-testid="test-accuracy" data-value={acc}>
          {(acc * 100).toFixed(2)}%
        </strong>
        <span className="muted">on the 10,000 MNIST test images</span>
      </div>
      <div className="big-figure small">
        <span className="label">Test loss</span>
        <strong data-testid="test-loss" data-value={report.testLoss}>
          {report.testLoss.toFixed(4)}
        </strong>
      </div>
      <div className="big-figure small">
        <span className="label">Reference</span>
        <strong>{(REFERENCE_TEST_ACCURACY * 100).toFixed(1)}%</strong>
        <span className="muted">the same recipe in scikit-learn</span>
      </div>
      {run && (
        <p className="muted run-note">
          {run.epochsRun} epoch{run.epochsRun === 1 ? '' : 's'}
          {run.stoppedEarly ? ' (stopped early)' : ''}, {(run.elapsedMs / 1000).toFixed(1)} s
        </p>
      )}
    </section>
  );
}
