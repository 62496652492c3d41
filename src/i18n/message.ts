/**
 * A message as data: its key and values, so pure modules (verdicts, lost work, refusals) say what
 * to show without choosing the language, and the page words it at render time in the current one
 * (a switch of language re-words what is already on screen).
 */
import type { ParseKeys, TFunction } from 'i18next';
import i18n from 'i18next';
import { setupI18n } from './index';

/** Every message key of the page (typed from en.json; plural keys without their suffix). */
export type MessageKey = ParseKeys;

/** A value of a message: a number or text, another message, or a list of messages ("a, b and c"). */
export type MessageValue = string | number | Msg | readonly Msg[];

export interface Msg {
  key: MessageKey;
  values?: Readonly<Record<string, MessageValue>>;
}

/** A message descriptor (checked key). */
export const msg = (key: MessageKey, values?: Readonly<Record<string, MessageValue>>): Msg => (values ? { key, values } : { key });

const isMsg = (v: MessageValue): v is Msg => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The message in the current language; nested messages are worded first, lists joined the language's way. */
export function tr(t: TFunction, m: Msg, lang: string = i18n.resolvedLanguage ?? 'en'): string {
  const values: Record<string, string | number> = {};
  for (const [name, v] of Object.entries(m.values ?? {})) {
    if (Array.isArray(v)) {
      values[name] = new Intl.ListFormat(lang, { type: 'conjunction' }).format((v as readonly Msg[]).map((x) => tr(t, x, lang)));
    } else if (isMsg(v as MessageValue)) values[name] = tr(t, v as Msg, lang);
    else values[name] = v as string | number;
  }
  return (t as unknown as (key: string, values: Record<string, string | number>) => string)(m.key, values);
}

/** What goes between two sentences: a space in English, nothing after a Chinese full stop. */
export const sentenceGap = (): string => (i18n.resolvedLanguage === 'zh-CN' ? '' : ' ');

/** Sentences, one after the other the language's way (a space in English, none after a Chinese full stop). */
export function sentences(t: TFunction, parts: readonly (Msg | null | undefined)[]): string {
  const sep = sentenceGap();
  return parts
    .filter((p): p is Msg => !!p)
    .map((p) => tr(t, p))
    .join(sep);
}

/** The same sentences in English (a failure's `message`, for logs and the worker's language). */
export function english(parts: readonly (Msg | null | undefined)[]): string {
  if (!i18n.isInitialized) setupI18n('?lang=en', null, ['en']);
  const t = i18n.getFixedT('en');
  return parts
    .filter((p): p is Msg => !!p)
    .map((p) => tr(t, p, 'en'))
    .join(' ');
}

/** Text that is either already words (a user's own name, a technical detail) or a message to word. */
export type Words = string | Msg;

/** `w` in the current language. */
export function say(t: TFunction, w: Words): string {
  return typeof w === 'string' ? w : tr(t, w);
}
