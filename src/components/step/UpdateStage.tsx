/**
 * Stage 4: the update: the optimizer's actual change of the first layer's weights per unit
 * (before · change · after), then the forward pass again: the probabilities and the loss on the
 * example before and after the step.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPercent } from '../../i18n/format';
import { formatLoss } from './lossFormat';
import type { StepResult } from '../../shared/step';
import { column, maxAbs } from '../../shared/stepMaths';
import { DIGITS } from './ForwardStage';
import { updateTex } from './formulas';
import { SignedPicture, type Tile } from './SignedPicture';
import { Stage } from './Stage';
import { argmax, unitOfLargestChange } from './stepFormat';

export function UpdateStage({ r }: { r: StepResult }) {
  const { t } = useTranslation();
  const { units, before, change } = r.firstLayer;
  const { triplets, unit, one } = useMemo(() => {
    const wScale = maxAbs(before);
    const cScale = maxAbs(change);
    const of = (u: number): Tile[] => {
      const b = column(before, units, u);
      const c = column(change, units, u);
      return [
        { values: b, scale: wScale },
        { values: c, scale: cScale },
        { values: b.map((w, i) => w + c[i]!), scale: wScale },
      ];
    };
    const best = unitOfLargestChange(change, units);
    return { triplets: Array.from({ length: units }, (_, u) => of(u)).flat(), unit: best, one: of(best) };
  }, [before, change, units]);
  const fell = r.lossAfter < r.lossBefore;
  const delta = formatLoss(Math.abs(r.lossBefore - r.lossAfter));
  return (
    <Stage
      stage="update"
      title={t('step.update.title')}
      text={`${t(`step.update.${r.optimizer}`)} ${t('step.update.again')}`}
      formulas={updateTex(r.optimizer)}
    >
      <div className="step-row">
        <figure className="step-unit-change">
          <figcaption>{t('step.update.unit', { unit })}</figcaption>
          <div className="step-triplet">
            {(['before', 'change', 'after'] as const).map((k, i) => (
              <div key={k}>
                <SignedPicture tiles={[one[i]!]} columns={1} label={t(`step.update.${k}`)} className="large" />
                <span className="muted step-small">{t(`step.update.${k}`)}</span>
              </div>
            ))}
          </div>
        </figure>
        <figure className="step-compare">
          <div className="step-losses">
            <p>
              {t('step.update.lossBefore')}{' '}
              <strong data-testid="step-loss-before" data-value={r.lossBefore}>
                {formatLoss(r.lossBefore)}
              </strong>
            </p>
            <p>
              {t('step.update.lossAfter')}{' '}
              <strong data-testid="step-loss-after" data-value={r.lossAfter}>
                {formatLoss(r.lossAfter)}
              </strong>
            </p>
            <p className={fell ? 'step-good' : 'step-bad'} data-testid="step-loss-change">
              {fell ? t('step.update.fell', { delta }) : t('step.update.rose', { delta })}{' '}
              {t('step.update.reads', { before: argmax(r.probsBefore), after: argmax(r.probsAfter) })}
            </p>
          </div>
          <figcaption>{t('step.update.probs')}</figcaption>
          <ol className="step-probs">
            {DIGITS.map((d, i) => (
              <li key={d} className={i === r.label ? 'marked' : undefined}>
                <span className="step-probs-digit">{d}</span>
                <span className="step-probs-bars">
                  <span className="before" style={{ width: `${(r.probsBefore[i]! * 100).toFixed(2)}%` }} />
                  <span
                    className="after"
                    data-testid={`step-probability-${i}`}
                    data-value={r.probsAfter[i]}
                    style={{ width: `${(r.probsAfter[i]! * 100).toFixed(2)}%` }}
                  />
                </span>
                <span className="step-probs-value">
                  {formatPercent(r.probsBefore[i]!)} → {formatPercent(r.probsAfter[i]!)}
                </span>
              </li>
            ))}
          </ol>
        </figure>
      </div>
      <figure className="step-units">
        <figcaption>{t('step.update.grid', { units })}</figcaption>
        <SignedPicture tiles={triplets} columns={24} group={3} label={t('step.update.grid', { units })} testId="step-change-pictures" />
      </figure>
    </Stage>
  );
}
