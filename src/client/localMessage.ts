/**
 * A sentence for the person, kept as a message key and its values until a view translates it
 * (so a pure module or a store says what happened without choosing the language). Values may be
 * messages themselves ("{{what}}: …"), translated first.
 */
import type { ParseKeys, TFunction } from 'i18next';
import i18n, { setupI18n } from '../i18n';

export type MessageKey = ParseKeys;
export type MessageValue = string | number | Message;
export interface Message {
  key: MessageKey;
  values?: Readonly<Record<string, MessageValue>>;
}

/** A message of `key` with `values`. */
export const message = (key: MessageKey, values?: Record<string, MessageValue>): Message => (values ? { key, values } : { key });

/** Text that is already the person's (a name, a file's own words): shown as it is. */
export const verbatim = (text: string): Message => ({ key: 'insight.verbatim', values: { text } });

/** The message in the language of `t`. */
export function messageText(t: TFunction, m: Message): string {
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(m.values ?? {})) values[k] = typeof v === 'object' ? messageText(t, v) : v;
  // The key is a typed one; i18next's overloads cannot check values against a key chosen at run time.
  return String(t(m.key as never, values as never));
}

/** English, for logs and for an Error's own message (outside the page, e.g. in a unit test, i18next starts in English on first use). */
export function englishText(m: Message): string {
  if (!i18n.isInitialized) setupI18n('', null, []);
  return messageText(i18n.getFixedT('en'), m);
}

/** An error that carries its message to translate; `message` is the English text. */
export class MessageError extends Error {
  override name = 'MessageError';
  constructor(readonly text: Message) {
    super(englishText(text));
  }
}

/** An error that carries a message to translate (a MessageError, or another class with a `text` message). */
export function carriesMessage(e: unknown): e is Error & { text: Message } {
  const text = e instanceof Error ? (e as { text?: unknown }).text : undefined;
  return typeof text === 'object' && text !== null && typeof (text as { key?: unknown }).key === 'string';
}

/** What to tell the person about `e`: its message when it carries one, else its own words. */
export function errorMessage(e: unknown): Message {
  if (carriesMessage(e)) return e.text;
  return verbatim(e instanceof Error ? e.message : String(e));
}
