import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** localStorage key remembering that the visitor closed the intro. */
export const INTRO_DISMISSED_KEY = 'mnist-playground:intro-dismissed';

function readDismissed(): boolean {
  try {
    return localStorage.getItem(INTRO_DISMISSED_KEY) === '1';
  } catch {
    // Storage can be blocked (private modes, sandboxed frames): then the intro shows each visit.
    return false;
  }
}

/**
 * Three steps for a first visit (Draw → Train → Look inside), as an inline banner that never
 * covers the controls. Closing it is remembered in localStorage. Read synchronously on the
 * first render, so a returning visitor's page never shows it and then jumps.
 */
export function FirstVisitIntro() {
  const { t } = useTranslation();
  const [dismissed, setDismissed] = useState(readDismissed);
  if (dismissed) return null;
  const dismiss = () => {
    setDismissed(true);
    try {
      localStorage.setItem(INTRO_DISMISSED_KEY, '1');
    } catch {
      // Not remembered; it is gone for this visit anyway.
    }
  };
  return (
    <section className="intro" aria-labelledby="intro-title" data-testid="intro">
      <h2 id="intro-title" className="visually-hidden">
        {t('intro.title')}
      </h2>
      <ol className="intro-steps">
        <li>
          <span className="intro-num" aria-hidden="true">
            1
          </span>
          <span>
            <strong>{t('intro.draw')}</strong> <span className="intro-more">{t('intro.drawMore')}</span>
          </span>
        </li>
        <li>
          <span className="intro-num" aria-hidden="true">
            2
          </span>
          <span>
            <strong>{t('intro.train')}</strong> <span className="intro-more">{t('intro.trainMore')}</span>
          </span>
        </li>
        <li>
          <span className="intro-num" aria-hidden="true">
            3
          </span>
          <span>
            <strong>{t('intro.look')}</strong> <span className="intro-more">{t('intro.lookMore')}</span>
          </span>
        </li>
      </ol>
      <button type="button" className="secondary intro-close" data-testid="intro-dismiss" onClick={dismiss}>
        {t('intro.gotIt')}
      </button>
    </section>
  );
}
