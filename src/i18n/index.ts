/**
 * The page's one i18n mechanism: i18next with react-i18next. Both languages' messages are bundled
 * (a few KB each), so the first paint is already in the reader's language and nothing is fetched.
 * Components call `useTranslation()`'s `t('section.key', { values })`; numbers, percentages and
 * durations go through `format.ts` (Intl, in the current language).
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import { registerFormatters } from './formatters';
import { chooseLanguage, LANG_STORAGE_KEY, LANGUAGES, withLanguage, type Language, type LanguageChoice } from './language';

export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

function readStored(): string | null {
  try {
    return localStorage.getItem(LANG_STORAGE_KEY);
  } catch {
    return null; // storage blocked: follow the browser
  }
}

/** `<html lang>` and the title follow the language. */
function applyToDocument(lang: string): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = lang;
  document.title = i18n.t('app.documentTitle');
}

/** The choice made for this visit (the page says so when `?lang=` was refused). */
export let languageChoice: LanguageChoice = { lang: 'en', source: 'browser', refused: null };

/** Starts i18next synchronously in the language chosen for this visit (call once, before the first render). */
export function setupI18n(
  search = typeof location === 'undefined' ? '' : location.search,
  stored = readStored(),
  browser: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages,
): typeof i18n {
  languageChoice = chooseLanguage(search, stored, browser);
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources,
      lng: languageChoice.lang,
      fallbackLng: 'en',
      supportedLngs: [...LANGUAGES],
      interpolation: { escapeValue: false }, // React escapes
      initAsync: false,
      returnNull: false,
    });
    registerFormatters(i18n);
    i18n.on('languageChanged', applyToDocument);
  } else void i18n.changeLanguage(languageChoice.lang);
  applyToDocument(languageChoice.lang);
  return i18n;
}

/** The reader's choice: kept (localStorage), the URL's `lang` follows when it was there, the page switches at once. */
export function switchLanguage(lang: Language): void {
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // storage blocked: the choice lasts this visit
  }
  const search = withLanguage(location.search, lang);
  if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
  languageChoice = { lang, source: 'stored', refused: null };
  void i18n.changeLanguage(lang);
}

/** The current language. */
export const currentLanguage = (): Language => (i18n.resolvedLanguage === 'zh-CN' ? 'zh-CN' : 'en');

export default i18n;
