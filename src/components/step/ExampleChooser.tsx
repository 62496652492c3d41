/** Which example the steps learn from (the pad's digit or a random training image) and the label you say it is. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInteger } from '../../i18n/format';
import { DIGITS } from './ForwardStage';
import { SignedPicture } from './SignedPicture';
import type { StepSession } from './useStepSession';

interface Props {
  s: StepSession;
  padInput: Float32Array | null;
}

export function ExampleChooser({ s, padInput }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const ex = s.example;
  const busy = s.pending !== null;
  const padWhy = padInput ? null : t('step.example.padEmpty');
  return (
    <fieldset className="step-example">
      <legend>{t('step.example.title')}</legend>
      <div className="buttons">
        <button
          type="button"
          className={ex?.source === 'pad' ? 'secondary chosen' : 'secondary'}
          data-testid="step-example-pad"
          disabled={!padInput || busy}
          title={padWhy ?? undefined}
          aria-pressed={ex?.source === 'pad'}
          onClick={() => padInput && s.takePad(padInput)}
        >
          {t('step.example.pad')}
        </button>
        <button
          type="button"
          className={ex?.source === 'random' ? 'secondary chosen' : 'secondary'}
          data-testid="step-example-random"
          disabled={busy}
          aria-pressed={ex?.source === 'random'}
          onClick={s.random}
        >
          {t('step.example.random')}
        </button>
      </div>
      {padWhy && !ex && <p className="muted step-small">{padWhy}</p>}
      {ex ? (
        <div className="step-example-shown">
          <SignedPicture
            tiles={[{ values: ex.pixels, scale: 1 }]}
            ink
            columns={1}
            label={
              ex.source === 'pad'
                ? t('step.example.fromPad')
                : t('step.example.fromTraining', { index: formatInteger(ex.index ?? 0), label: ex.trueLabel ?? 0 })
            }
            className="example"
            testId="step-example-picture"
          />
          <p className="muted step-small">
            {ex.source === 'pad'
              ? t('step.example.fromPad')
              : t('step.example.fromTraining', { index: formatInteger(ex.index ?? 0), label: ex.trueLabel ?? 0 })}
          </p>
        </div>
      ) : (
        <p className="muted">{t('step.example.none')}</p>
      )}
      <label htmlFor={id} className="step-label">
        {t('step.label')}{' '}
        <select
          id={id}
          data-testid="step-label"
          value={s.label}
          disabled={busy}
          title={t('step.labelHint')}
          onChange={(e) => s.setLabel(Number(e.target.value))}
        >
          {DIGITS.map((d, i) => (
            <option key={d} value={i}>
              {d}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
