/** The words of a notice in the reader's language (NoticeLine), as a pure function. */
import type { TFunction } from 'i18next';
import type { Notice } from '../client/trainerState';
import { sentences } from '../i18n/message';

/**
 * A refusal by its key; the page's own words by their messages; otherwise, in English, the
 * worker's message itself, and in another language the sentence for its key or code with the
 * worker's English message as a technical detail.
 */
export function noticeText(t: TFunction, notice: Notice, english: boolean): { main: string; detail: string | null } {
  if (notice.text) return { main: sentences(t, notice.text), detail: null };
  if (notice.code === 'refused' && notice.key) return { main: t(`refusals.${notice.key}`), detail: null };
  if (english) return { main: notice.message, detail: null };
  const code = notice.code === 'invalid' || notice.code === 'refused' ? notice.code : 'cancelled';
  return { main: notice.key ? t(`refusals.${notice.key}`) : t(`notice.${code}`), detail: notice.message };
}
