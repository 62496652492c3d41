/** Stage 3: backpropagation: the output error p − onehot, carried back to each hidden layer, and the first layer's weight gradient per unit. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { StepResult } from '../../shared/step';
import { column, maxAbs } from '../../shared/stepMaths';
import { DIGITS } from './ForwardStage';
import { backwardTex, FIRST_GRADIENT_TEX } from './formulas';
import { SignedBars } from './SignedBars';
import { SignedPicture } from './SignedPicture';
import { Stage } from './Stage';

export function BackwardStage({ r }: { r: StepResult }) {
  const { t } = useTranslation();
  const hidden = r.layers.slice(0, -1);
  const { units, gradient } = r.firstLayer;
  const tiles = useMemo(() => {
    const scale = maxAbs(gradient);
    return Array.from({ length: units }, (_, u) => ({ values: column(gradient, units, u), scale }));
  }, [gradient, units]);
  return (
    <Stage
      stage="backward"
      title={t('step.backward.title')}
      text={t('step.backward.text')}
      formulas={[...backwardTex(r.activation), FIRST_GRADIENT_TEX]}
    >
      <div className="step-row">
        <div className="step-layer">
          <SignedBars
            values={r.outputError}
            caption={t('step.backward.output')}
            labels={DIGITS}
            mark={r.label}
            testId="step-output-error"
          />
        </div>
        {hidden
          .map((l, i) => (
            <div key={i} className="step-layer">
              <SignedBars values={l.deltas} caption={t('step.backward.hidden', { n: i + 1 })} />
            </div>
          ))
          .reverse()}
      </div>
      <figure className="step-units">
        <figcaption>{t('step.backward.gradient')}</figcaption>
        <SignedPicture tiles={tiles} columns={8} label={t('step.backward.gradient')} testId="step-gradient-pictures" />
      </figure>
    </Stage>
  );
}
