/** A refusal of the step's commands in the reader's language, by its key in the command table (refusals.*). */
import { useTranslation } from 'react-i18next';
import type { RefusalKey } from '../../shared/commands';

export function useRefusalText(): (key: RefusalKey | null) => string | null {
  const { t } = useTranslation();
  return (key) => (key ? t(`refusals.${key}`) : null);
}
