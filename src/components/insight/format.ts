import { formatPercent } from '../../shared/confusion';

/** A probability as a short percentage that never rounds a not-quite-certain one up to "100%": 0.9996 → "99.9%". */
export function formatConfidence(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p >= 1) return '100%';
  return p > 0.99 ? formatPercent(Math.min(p, 0.999), 1) : formatPercent(p, 0);
}
