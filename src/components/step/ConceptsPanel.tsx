/** The tutorial's five ideas in its order, each in a sentence and linked to the stage that shows it. */
import { useTranslation } from 'react-i18next';
import type { StageName } from './Stage';

const CONCEPTS = [
  { key: 'network', stage: 'forward' },
  { key: 'forward', stage: 'forward' },
  { key: 'backward', stage: 'backward' },
  { key: 'loss', stage: 'loss' },
  { key: 'descent', stage: 'update' },
] as const satisfies readonly { key: string; stage: StageName }[];

export function ConceptsPanel({ shown }: { shown: boolean }) {
  const { t } = useTranslation();
  const go = (stage: StageName) => {
    const el = document.getElementById(`step-stage-${stage}`);
    el?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    el?.focus({ preventScroll: true });
  };
  return (
    <nav className="step-concepts" aria-labelledby="step-concepts-title" data-testid="step-concepts">
      <h3 id="step-concepts-title">{t('step.concepts.title')}</h3>
      <ol>
        {CONCEPTS.map(({ key, stage }) => (
          <li key={key}>
            <button type="button" className="link" disabled={!shown} onClick={() => go(stage)} data-testid={`step-concept-${key}`}>
              {t(`step.concepts.${key}`)}
            </button>
            <span className="muted"> {t(`step.concepts.${key}Text`)}</span>
          </li>
        ))}
      </ol>
    </nav>
  );
}
