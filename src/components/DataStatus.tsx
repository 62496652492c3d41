import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrainerState } from '../client/trainerState';
import { DigitStrip } from './DigitStrip';

/**
 * Data-loading progress, then the dataset's size and one row of real digits. Both states
 * have the same height (the strip's row is reserved while loading), so nothing below moves.
 */
export const DataStatus = memo(function DataStatus({ dataset, dataProgress }: Pick<TrainerState, 'dataset' | 'dataProgress'>) {
  const { t } = useTranslation();
  if (!dataset) {
    const { loadedBytes, totalBytes } = dataProgress;
    const pct = totalBytes ? Math.round((100 * loadedBytes) / totalBytes) : 0;
    return (
      <section className="panel data-status" aria-label={t('data.region')} aria-busy="true">
        <div className="data-text">
          <label htmlFor="data-progress">
            {totalBytes ? t('data.loadingBytes', { loaded: loadedBytes / 1e6, total: totalBytes / 1e6 }) : t('data.loading')}
          </label>
          <progress id="data-progress" data-testid="data-progress" max={100} value={pct} />
        </div>
        <div className="digit-strip digit-strip-placeholder" aria-hidden="true" />
      </section>
    );
  }
  const total = dataset.trainCount + dataset.testCount;
  return (
    <section className="panel data-status" aria-label={t('data.region')}>
      <p className="data-text">
        <strong data-testid="image-count" data-value={total}>
          {t('data.ready', { count: total })}
        </strong>{' '}
        <span className="muted">{t('data.split', { train: dataset.trainCount, test: dataset.testCount, ms: dataset.elapsedMs })}</span>
      </p>
      <DigitStrip pixels={dataset.samplePixels} labels={dataset.sampleLabels} />
    </section>
  );
});
