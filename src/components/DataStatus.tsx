import type { TrainerState } from '../client/trainerState';
import { DigitStrip } from './DigitStrip';

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** Data-loading progress, then the dataset's size and a strip of real digits. */
export function DataStatus({ state }: { state: TrainerState }) {
  const { dataset, dataProgress } = state;
  if (!dataset) {
    const { loadedBytes, totalBytes } = dataProgress;
    const pct = totalBytes ? Math.round((100 * loadedBytes) / totalBytes) : 0;
    return (
      <section className="panel data-status" aria-busy="true">
        <label htmlFor="data-progress">
          Loading MNIST{totalBytes ? `: ${mb(loadedBytes)} of ${mb(totalBytes)} MB` : '…'}
        </label>
        <progress id="data-progress" data-testid="data-progress" max={100} value={pct} />
      </section>
    );
  }
  const total = dataset.trainCount + dataset.testCount;
  return (
    <section className="panel data-status">
      <p>
        <strong data-testid="image-count" data-value={total}>
          {total.toLocaleString('en-US')} images ready
        </strong>{' '}
        <span className="muted">
          ({dataset.trainCount.toLocaleString('en-US')} training, {dataset.testCount.toLocaleString('en-US')} test; loaded and
          verified in {Math.round(dataset.elapsedMs)} ms)
        </span>
      </p>
      <DigitStrip pixels={dataset.samplePixels} labels={dataset.sampleLabels} />
    </section>
  );
}
