import { memo } from 'react';
import type { TrainerState } from '../client/trainerState';
import { DigitStrip } from './DigitStrip';

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/**
 * Data-loading progress, then the dataset's size and one row of real digits. Both states
 * have the same height (the strip's row is reserved while loading), so nothing below moves.
 */
export const DataStatus = memo(function DataStatus({ dataset, dataProgress }: Pick<TrainerState, 'dataset' | 'dataProgress'>) {
  if (!dataset) {
    const { loadedBytes, totalBytes } = dataProgress;
    const pct = totalBytes ? Math.round((100 * loadedBytes) / totalBytes) : 0;
    return (
      <section className="panel data-status" aria-label="MNIST data" aria-busy="true">
        <div className="data-text">
          <label htmlFor="data-progress">Loading MNIST{totalBytes ? `: ${mb(loadedBytes)} of ${mb(totalBytes)} MB` : '…'}</label>
          <progress id="data-progress" data-testid="data-progress" max={100} value={pct} />
        </div>
        <div className="digit-strip digit-strip-placeholder" aria-hidden="true" />
      </section>
    );
  }
  const total = dataset.trainCount + dataset.testCount;
  return (
    <section className="panel data-status" aria-label="MNIST data">
      <p className="data-text">
        <strong data-testid="image-count" data-value={total}>
          {total.toLocaleString('en-US')} images ready
        </strong>{' '}
        <span className="muted">
          {dataset.trainCount.toLocaleString('en-US')} to learn from, {dataset.testCount.toLocaleString('en-US')} to test on; checked in{' '}
          {Math.round(dataset.elapsedMs)} ms
        </span>
      </p>
      <DigitStrip pixels={dataset.samplePixels} labels={dataset.sampleLabels} />
    </section>
  );
});
