/**
 * Formats usable inside messages, through Intl in the message's language:
 * `{{accuracy, pct1}}` → "97.1%" / "97.1%", `{{n, int}}` → "60,000", `{{loss, fix3}}` → "0.185",
 * `{{ms, clock}}` → "42 s" / "42 秒", "1:05", "1 h 05 min" / "1 小时 05 分", `{{bytes, bytes}}` → "137 MB".
 */
import type { i18n as I18n } from 'i18next';
import { clockText, numberFormat } from './format';

export function registerFormatters(i18n: I18n): void {
  const f = i18n.services.formatter;
  if (!f) return;
  const pct = (digits: number) => (value: unknown, lng: string | undefined) =>
    numberFormat(lng, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(value));
  const fixed = (digits: number) => (value: unknown, lng: string | undefined) =>
    numberFormat(lng, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(value));
  f.add('pct0', pct(0));
  f.add('pct1', pct(1));
  f.add('pct2', pct(2));
  f.add('fix1', fixed(1));
  f.add('fix2', fixed(2));
  f.add('fix3', fixed(3));
  f.add('fix4', fixed(4));
  f.add('int', (value, lng) => numberFormat(lng, { maximumFractionDigits: 0 }).format(Number(value)));
  f.add('clock', (value, lng) => clockText(Number(value), lng));
}
