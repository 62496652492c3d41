/**
 * Numbers in the reader's language, through Intl: percentages, counts with thousands separators,
 * durations. Formatters are cached per language and options.
 */
import { currentLanguage } from './index';

const cache = new Map<string, Intl.NumberFormat>();
function nf(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const lang = currentLanguage();
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(lang, options)));
  return f;
}

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

/** A duration in words: "45 s", "2 min 05 s", "1 h 03 min" (en) / "45 秒", "2 分 05 秒" (zh-CN). */
export function formatDuration(ms: number): string {
  const zh = currentLanguage() === 'zh-CN';
  const [h, m, s] = zh ? ['小时', '分', '秒'] : [' h', ' min', ' s'];
  const sep = zh ? '' : ' ';
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total}${s}`;
  const mins = Math.floor(total / 60);
  const secs = String(total % 60).padStart(2, '0');
  if (mins < 60) return `${mins}${m}${sep}${secs}${s}`;
  return `${Math.floor(mins / 60)}${h}${sep}${String(mins % 60).padStart(2, '0')}${m}`;
}
