import type { TFunction } from 'i18next';
import { formatInteger, formatNumber, formatPercent } from '../../i18n/format';
import type { FineTuneSummary } from '../../shared/protocol';

/** 0.967 → "96.7%" (in the reader's language). */
export function percent(x: number, digits = 1): string {
  return formatPercent(x, digits);
}

const or = (x: number | null) => (x === null ? '?' : percent(x));

/** "Your digits 70.0% → 95.0%, MNIST test 96.7% → 96.6% (3.1 s) …", in the language of `t`. */
export function fineTuneLine(t: TFunction, s: FineTuneSummary): string {
  if (s.run.outcome === 'cancelled') return t('mine.fineTune.cancelled');
  return t(s.run.outcome === 'stopped' ? 'mine.fineTune.resultStopped' : 'mine.fineTune.result', {
    yoursBefore: or(s.yoursBefore),
    yoursAfter: or(s.yoursAfter),
    testBefore: or(s.testBefore),
    testAfter: or(s.testAfter),
    seconds: formatNumber(s.run.elapsedMs / 1000, 1),
    repeats: formatInteger(s.repeats),
    images: formatInteger(s.mnistImages),
  });
}
