/**
 * A loss or probability gap as the step view shows it: 4 significant digits, and in scientific
 * notation below 0.001 (a confident reading's loss is often 1e-8 or less: "0.0000" would hide
 * that the step still lowers it). In the reader's language, through Intl.
 */
import { currentLanguage } from '../../i18n';

const cache = new Map<string, Intl.NumberFormat>();
function nf(scientific: boolean): Intl.NumberFormat {
  const key = `${currentLanguage()}|${scientific}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(
      currentLanguage(),
      scientific ? { notation: 'scientific', maximumSignificantDigits: 3 } : { maximumSignificantDigits: 4 },
    );
    cache.set(key, f);
  }
  return f;
}

export function formatLoss(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return nf(x !== 0 && Math.abs(x) < 1e-3).format(x);
}
