/** A vector as sign-coloured bars (blue up for positive, red down for negative), zero in the middle, on a symmetric scale. */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatLoss } from './lossFormat';
import { signedBars } from './stepFormat';

const HEIGHT = 60;

interface Props {
  values: ArrayLike<number>;
  /** What the bars are (their caption). */
  caption: string;
  /** Labels under the bars (the ten digits), or none for a layer's units. */
  labels?: readonly string[];
  /** Index to mark (the true digit). */
  mark?: number;
  testId?: string;
}

export const SignedBars = memo(function SignedBars({ values, caption, labels, mark, testId }: Props) {
  const { t } = useTranslation();
  const bars = signedBars(values, HEIGHT);
  const n = values.length;
  const width = Math.max(n * 4, 100);
  const w = width / n;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  const summary = t('step.bars', { count: n, min: formatLoss(min), max: formatLoss(max) });
  return (
    <figure className="step-bars" data-testid={testId}>
      <figcaption>{caption}</figcaption>
      <svg viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={`${caption}: ${summary}`}>
        <line x1={0} x2={width} y1={HEIGHT / 2} y2={HEIGHT / 2} className="step-axis" />
        {bars.map((b) => (
          <rect
            key={b.index}
            x={b.index * w + w * 0.1}
            width={w * 0.8}
            y={b.y}
            height={Math.max(b.h, 0.3)}
            className={`step-bar ${b.sign}${b.index === mark ? ' marked' : ''}`}
          />
        ))}
      </svg>
      {labels && (
        <div className="step-bar-labels" aria-hidden="true">
          {labels.map((l, i) => (
            <span key={i} className={i === mark ? 'marked' : undefined}>
              {l}
            </span>
          ))}
        </div>
      )}
      <p className="muted step-small">{summary}</p>
    </figure>
  );
});
