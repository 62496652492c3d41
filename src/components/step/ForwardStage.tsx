/** Stage 1: the forward pass of the step, layer by layer, from the standardised input to the ten probabilities. */
import { useTranslation } from 'react-i18next';
import type { StepResult } from '../../shared/step';
import { maxAbs } from '../../shared/stepMaths';
import { hiddenLayerTex, outputTex } from './formulas';
import { SignedBars } from './SignedBars';
import { SignedPicture } from './SignedPicture';
import { Stage } from './Stage';

export const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const; // i18n-ignore: digits

export function ForwardStage({ r }: { r: StepResult }) {
  const { t } = useTranslation();
  const hidden = r.layers.slice(0, -1);
  const out = r.layers.at(-1)!;
  const activation = r.activation;
  return (
    <Stage
      stage="forward"
      title={t('step.forward.title')}
      text={t('step.forward.text', { activation })}
      formulas={[...hidden.map((_, i) => hiddenLayerTex(i + 1, activation)), outputTex(hidden.length)]}
    >
      <div className="step-row">
        <figure className="step-input">
          <figcaption>{t('step.forward.input')}</figcaption>
          <SignedPicture
            tiles={[{ values: r.input, scale: maxAbs(r.input) }]}
            columns={1}
            label={t('step.forward.input')}
            className="large"
          />
          <p className="muted step-small">{t('step.legend')}</p>
        </figure>
        {hidden.map((l, i) => (
          <div key={i} className="step-layer">
            <h4>{t('step.forward.layer', { n: i + 1, units: l.units })}</h4>
            <SignedBars values={l.sums} caption={t('step.forward.sums')} />
            <SignedBars values={l.outputs} caption={t('step.forward.outputs', { activation })} />
          </div>
        ))}
        <div className="step-layer">
          <SignedBars values={out.sums} caption={t('step.forward.logits')} labels={DIGITS} mark={r.label} />
          <SignedBars values={r.probsBefore} caption={t('step.forward.probs')} labels={DIGITS} mark={r.label} testId="step-forward-probs" />
        </div>
      </div>
    </Stage>
  );
}
