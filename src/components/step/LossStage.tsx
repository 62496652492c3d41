/** Stage 2: the cross-entropy of the example, as a number and as the gap between its probability bar and 1. */
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';
import type { StepResult } from '../../shared/step';
import { lossTex, texNumber } from './formulas';
import { formatLoss } from './lossFormat';
import { Stage } from './Stage';

export function LossStage({ r }: { r: StepResult }) {
  const { t } = useTranslation();
  const p = r.probsBefore[r.label]!;
  const label = r.label;
  const loss = formatLoss(r.lossBefore);
  // 1 − p = 1 − exp(−L), exact for a tiny loss.
  const gap = formatLoss(-Math.expm1(-r.lossBefore));
  return (
    <Stage
      stage="loss"
      title={t('step.loss.title')}
      text={t('step.loss.text', { label })}
      formulas={[lossTex(label, texNumber(p), texNumber(r.lossBefore))]}
    >
      <p className="step-big" data-testid="step-loss-value" data-value={r.lossBefore}>
        {t('step.loss.value', { label, loss })}
      </p>
      <figure className="step-gap">
        <figcaption>{t('step.loss.bar', { label })}</figcaption>
        <div className="step-gap-bar" role="img" aria-label={t('step.loss.gap', { label, p: formatNumber(p, 4), gap })}>
          <span className="step-gap-fill" style={{ width: `${(p * 100).toFixed(2)}%` }} />
          <span className="step-gap-rest" style={{ width: `${((1 - p) * 100).toFixed(2)}%` }} />
        </div>
        <p className="muted step-small">{t('step.loss.gap', { label, p: formatNumber(p, 4), gap })}</p>
      </figure>
    </Stage>
  );
}
