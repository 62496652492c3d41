/** While a run trains (or is paused, or waits its turn): why the steps wait, with Pause and Stop at hand instead of a broken view. */
import { useTranslation } from 'react-i18next';
import type { TrainerApi } from '../../client/useTrainer';

export function TrainingNotice({ trainer }: { trainer: TrainerApi }) {
  const { t } = useTranslation();
  const { status } = trainer.state;
  const paused = status === 'paused';
  return (
    <div className="notice step-training" role="status" data-testid="step-training-notice">
      <strong>{t('step.training.title')}</strong>
      <p>{paused ? t('step.training.paused') : t('step.training.text')}</p>
      <div className="buttons">
        {!paused && (
          <button
            type="button"
            className="secondary"
            data-testid="step-pause-first"
            disabled={trainer.can.pause !== null}
            onClick={trainer.pause}
          >
            {t('step.training.pause')}
          </button>
        )}
        <button type="button" data-testid="step-stop-first" disabled={trainer.can.stop !== null} onClick={trainer.stop}>
          {t('step.training.stop')}
        </button>
      </div>
    </div>
  );
}
