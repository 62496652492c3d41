import { formatPercent } from '../../i18n/format';

/** A probability as a short percentage that never rounds a not-quite-certain one up to "100%": 0.9996 → "99.9%" (in the reader's language). */
export function formatConfidence(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p >= 1) return formatPercent(1, 0);
  return p > 0.99 ? formatPercent(Math.min(p, 0.999), 1) : formatPercent(p, 0);
}

/** A share 0..1 as a percentage in the reader's language; "—" when it is not a number (an empty row). */
export function formatShare(x: number, digits = 1): string {
  return Number.isFinite(x) ? formatPercent(x, digits) : '—';
}
