/** The loss on the example over the session's steps: a small line, with its first and last value. */
import { useTranslation } from 'react-i18next';
import { formatInteger } from '../../i18n/format';
import { formatLoss } from './lossFormat';
import { curvePath } from './stepFormat';

const W = 240;
const H = 60;

export function LossCurve({ points }: { points: readonly number[] }) {
  const { t } = useTranslation();
  const summary = points.length
    ? t('step.curve.summary', {
        count: formatInteger(points.length - 1),
        first: formatLoss(points[0]!),
        last: formatLoss(points.at(-1)!),
      })
    : t('step.curve.empty');
  return (
    <figure className="step-curve" data-testid="step-loss-curve" data-points={points.length}>
      <figcaption>{t('step.curve.title')}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${t('step.curve.title')}: ${summary}`}>
        <line x1={0} x2={W} y1={H} y2={H} className="step-axis" />
        {points.length > 0 && <path d={curvePath(points, W, H - 4)} transform="translate(0 2)" className="step-curve-line" />}
      </svg>
      <p className="muted step-small">{summary}</p>
    </figure>
  );
}
