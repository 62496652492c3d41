import { useTranslation } from 'react-i18next';
import { openStepView } from './stepViewStore';

/** Opens the "one step, slowed down" view (from the training controls). */
export function StepModeButton({ testId = 'step-mode-controls' }: { testId?: string }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="secondary step-open" data-testid={testId} title={t('step.openHint')} onClick={openStepView}>
      {t('step.open')}
    </button>
  );
}
