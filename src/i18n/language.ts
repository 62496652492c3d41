/**
 * Which language the page speaks: pure rules, so they are tested without a browser.
 * Order: a valid `?lang=` (shareable), then the choice kept in localStorage, then the
 * browser's `navigator.languages` in its order of preference (any zh* → Simplified Chinese).
 */

/** Languages the page is written in; every message file has exactly the same keys. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The URL parameter that picks a language (validated like every other parameter). */
export const LANG_PARAM = 'lang';
/** Where the reader's choice is kept. */
export const LANG_STORAGE_KEY = 'mnist-playground.lang';

/** Each language's name in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

export const isLanguage = (x: unknown): x is Language => typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);

/** The first of the browser's languages the page speaks (zh, zh-TW, zh-Hans-CN… → zh-CN; en-GB → en), else English. */
export function fromBrowser(languages: readonly string[]): Language {
  for (const tag of languages) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (base === 'zh') return 'zh-CN';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export interface LanguageChoice {
  lang: Language;
  /** Where it came from. */
  source: 'url' | 'stored' | 'browser';
  /** The `lang` value the URL asked for when it is not one the page speaks (the page then speaks English and says so). */
  refused: string | null;
}

/** The language for this visit. An unknown `?lang=` is refused: English, and the page says why. */
export function chooseLanguage(search: string, stored: string | null, browser: readonly string[]): LanguageChoice {
  const asked = new URLSearchParams(search).get(LANG_PARAM);
  if (asked !== null) {
    if (isLanguage(asked)) return { lang: asked, source: 'url', refused: null };
    return { lang: 'en', source: 'url', refused: asked.slice(0, 40) };
  }
  if (isLanguage(stored)) return { lang: stored, source: 'stored', refused: null };
  return { lang: fromBrowser(browser), source: 'browser', refused: null };
}

/** `search` with `lang` set to `lang` when it was there (a shared link keeps working), untouched otherwise. */
export function withLanguage(search: string, lang: Language): string {
  const params = new URLSearchParams(search);
  if (!params.has(LANG_PARAM)) return search;
  params.set(LANG_PARAM, lang);
  return `?${params.toString()}`;
}
