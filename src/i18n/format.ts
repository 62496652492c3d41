/**
 * Numbers in the reader's language, through Intl: percentages, counts with thousands separators,
 * durations. Formatters are cached per language and options.
 */
import { currentLanguage } from './index';

const cache = new Map<string, Intl.NumberFormat>();
/** A cached Intl.NumberFormat for `lang` (the current language when not given). */
export function numberFormat(lang: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const l = lang === 'zh-CN' || lang === 'en' ? lang : currentLanguage();
  const key = `${l}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(l, options)));
  return f;
}
const nf = (options: Intl.NumberFormatOptions) => numberFormat(undefined, options);

/** 0.9712 → "97.1%" (digits after the point; fixed). */
export function formatPercent(fraction: number, digits = 1): string {
  return nf({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(fraction);
}

/** 60000 → "60,000". */
export function formatInteger(n: number): string {
  return nf({ maximumFractionDigits: 0 }).format(n);
}

/** 0.18512 → "0.1851" (fixed digits). */
export function formatNumber(n: number, digits: number): string {
  return nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

const units = (lang: string | undefined) => {
  const zh = (lang ?? currentLanguage()) === 'zh-CN';
  return zh ? { h: ' 小时 ', m: ' 分 ', s: ' 秒', min: ' 分' } : { h: ' h ', m: ' min ', s: ' s', min: ' min' };
};

/** A duration in words: "45 s", "2 min 05 s", "1 h 03 min" (en) / "45 秒", "2 分 05 秒", "1 小时 03 分" (zh-CN). */
export function formatDuration(ms: number, lang?: string): string {
  const u = units(lang);
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total}${u.s}`;
  const mins = Math.floor(total / 60);
  const secs = String(total % 60).padStart(2, '0');
  if (mins < 60) return `${mins}${u.m}${secs}${u.s}`;
  return `${Math.floor(mins / 60)}${u.h}${String(mins % 60).padStart(2, '0')}${u.min}`;
}

/** A run's clock: "42 s" / "42 秒" under a minute, "1:05" under an hour, "1 h 05 min" / "1 小时 05 分" above; "–" when unknown. */
export function clockText(ms: number, lang?: string): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const u = units(lang);
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}${u.s}`;
  if (s < 3600) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${Math.floor(s / 3600)}${u.h}${String(Math.round((s % 3600) / 60)).padStart(2, '0')}${u.min}`;
}
