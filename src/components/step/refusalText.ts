/** A refusal of the step's commands in the reader's language: the step section words its own keys, else the table's English. */
import { useTranslation } from 'react-i18next';
import { REFUSALS, type RefusalKey } from '../../shared/commands';

export function useRefusalText(): (key: RefusalKey | null) => string | null {
  const { t } = useTranslation();
  return (key) => {
    if (!key) return null;
    if (key === 'stopToStep' || key === 'noModel') return t(`step.refusals.${key}`);
    return REFUSALS[key];
  };
}
