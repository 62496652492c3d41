/** Step, ×10, ×100 and Undo: disabled with the reason while they cannot apply (a run, no model, no example, a step under way). */
import { useTranslation } from 'react-i18next';
import type { TrainerApi } from '../../client/useTrainer';
import { formatNumber } from '../../i18n/format';
import { useRefusalText } from './refusalText';
import type { StepSession } from './useStepSession';

const OPTIMIZER_NAMES = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' } as const; // i18n-ignore: names

export function StepControls({ s, trainer }: { s: StepSession; trainer: TrainerApi }) {
  const { t } = useTranslation();
  const refusal = useRefusalText()(trainer.can.keys.step);
  const why = refusal ?? (s.example ? null : t('step.example.none'));
  const busy = s.pending !== null;
  const stepping = s.pending === 'step';
  const r = s.result;
  const steps = r?.sessionSteps ?? 0;
  const undoWhy = refusal ?? (steps > 0 ? null : t('step.buttons.undoNothing'));
  const attrs = (reason: string | null, hint: string) => ({ title: reason ?? hint, ...(reason ? { 'aria-description': reason } : {}) });
  return (
    <div className="step-controls">
      <div className="buttons">
        <button
          type="button"
          data-testid="step-button"
          disabled={why !== null || busy}
          {...attrs(why, t('step.buttons.stepHint'))}
          onClick={() => s.step(1)}
        >
          {t('step.buttons.step')}
        </button>
        {[10, 100].map((n) => (
          <button
            key={n}
            type="button"
            className="secondary"
            data-testid={`step-times-${n}`}
            disabled={why !== null || busy}
            {...attrs(why, t('step.buttons.timesHint', { count: n }))}
            onClick={() => s.step(n)}
          >
            {t('step.buttons.times', { count: n })}
          </button>
        ))}
        <button
          type="button"
          className="secondary"
          data-testid="step-undo"
          disabled={undoWhy !== null || busy}
          {...attrs(undoWhy, t('step.buttons.undoHint'))}
          onClick={s.undoSteps}
        >
          {t('step.buttons.undo')}
        </button>
      </div>
      {why && (
        <p className="muted step-small" data-testid="step-reason">
          {why}
        </p>
      )}
      <p className="muted step-small" role="status" data-testid="step-status">
        {stepping
          ? t('step.working')
          : r
            ? t('step.settings', {
                optimizer: OPTIMIZER_NAMES[r.optimizer],
                rate: formatNumber(r.learningRate, r.learningRate < 0.001 ? 5 : 4),
                t: r.optimizerSteps,
                count: r.sessionSteps,
              })
            : ''}
      </p>
      {s.undo && (
        <p className="step-small" data-testid="step-undone" data-undone={s.undo.undone}>
          {s.undo.undone > 0 ? t('step.undone', { count: s.undo.undone }) : t(`step.undoReason.${s.undo.reason ?? 'nothingToUndo'}`)}
        </p>
      )}
      {s.error && (
        <p className="form-error" role="alert" data-testid="step-error">
          {t('step.failed', { message: s.error })}
        </p>
      )}
    </div>
  );
}
