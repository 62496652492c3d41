import { useTranslation } from 'react-i18next';
import { memo, useMemo } from 'react';
import type { BatchPoint, EpochMetrics } from '../client/trainerState';
import { decimate } from './chart/decimate';

/** Points the sparkline draws at most (it is 96 px wide). */
const SPARK_POINTS = 48;
const W = 96;
const H = 28;

/**
 * A small live curve of the accuracy for the run bar (phones and tablets): training accuracy as
 * a line, validation after each epoch as dots, 0–100% high. A tap takes you to the full curves.
 */
export const RunSparkline = memo(function RunSparkline({
  batches,
  epochs,
  totalEpochs,
  onClick,
}: {
  batches: BatchPoint[];
  epochs: EpochMetrics[];
  totalEpochs: number;
  onClick(): void;
}) {
  const { t } = useTranslation();
  const x1 = Math.max(1, totalEpochs);
  const path = useMemo(() => {
    const shown = decimate(batches, SPARK_POINTS, (b) => b.accuracy);
    return shown.map((b, i) => `${i ? 'L' : 'M'}${((b.epoch / x1) * W).toFixed(1)},${((1 - b.accuracy) * H).toFixed(1)}`).join('');
  }, [batches, x1]);
  const last = epochs.at(-1);
  return (
    <button
      type="button"
      className="run-spark"
      data-testid="run-sparkline"
      data-points={batches.length}
      onClick={onClick}
      aria-label={last ? t('progress.showCurvesVal', { accuracy: last.valAccuracy, epoch: last.epoch }) : t('progress.showCurves')}
      title={t('progress.showCurves')}
    >
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true">
        <rect x="0" y="0" width={W} height={H} rx="3" className="run-spark-bg" />
        <path d={path} fill="none" className="run-spark-train" strokeWidth="1.5" />
        {epochs.slice(-30).map((e) => (
          <circle key={e.epoch} cx={(e.epoch / x1) * W} cy={(1 - e.valAccuracy) * H} r="2" className="run-spark-val" />
        ))}
      </svg>
    </button>
  );
});
