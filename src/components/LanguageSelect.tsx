import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { languageChoice, switchLanguage } from '../i18n';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../i18n/language';

/** The language switch in the header: each language named in itself; the choice is kept and applies at once. */
export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  const current = i18n.resolvedLanguage === 'zh-CN' ? 'zh-CN' : 'en';
  return (
    <select
      className="language-select"
      data-testid="language-select"
      aria-label={t('language.label')}
      value={current}
      onChange={(e) => {
        if (isLanguage(e.target.value)) switchLanguage(e.target.value);
      }}
    >
      {LANGUAGES.map((l) => (
        <option key={l} value={l} lang={l}>
          {LANGUAGE_NAMES[l]}
        </option>
      ))}
    </select>
  );
}

/** When `?lang=` asked for a language the page does not speak: it says so (in English), and nothing else is lost. */
export function LanguageRefused() {
  const { t } = useTranslation();
  const [asked] = useState(() => languageChoice.refused);
  const [shown, setShown] = useState(true);
  if (asked === null || !shown) return null;
  return (
    <p className="notice" role="status" data-testid="language-refused">
      {t('language.refused', { asked })}{' '}
      <button type="button" className="link" onClick={() => setShown(false)}>
        {t('language.dismiss')}
      </button>
    </p>
  );
}
