/**
 * How the experiments views write figures, in the reader's language: percentages, durations,
 * speeds, epoch counts and dates (the words are messages under `experiments.*` in the locale files;
 * each function takes the view's `t`).
 */
import type { TFunction } from 'i18next';
import { currentLanguage } from '../../i18n';
import { formatNumber, formatPercent } from '../../i18n/format';
import type { MessageKey } from '../../client/localMessage';
import type { RunState } from '../../client/runHistoryRecord';

/** The badge of a run that did not end normally. */
export const STATE_KEY: Record<RunState, MessageKey> = {
  done: 'experiments.state.done',
  'early-stopped': 'experiments.state.earlyStopped',
  stopped: 'experiments.state.stopped',
  failed: 'experiments.state.failed',
};

/** 0.9669 → "96.69%" */
export const percent = (v: number, digits = 2) => formatPercent(v, digits);

/** 14_830 → "14.8 s", 125_000 → "2 min 5 s" ("14.8 秒", "2 分 5 秒"). */
export function duration(t: TFunction, ms: number): string {
  const s = ms / 1000;
  if (s < 60) return t('experiments.units.seconds', { s: formatNumber(s, 1) });
  return t('experiments.units.minutes', { m: Math.floor(s / 60), s: Math.round(s % 60) });
}

const compact = new Map<string, Intl.NumberFormat>();

/** 31935 → "32K/s" ("3.2万/秒"): samples per second, short. */
export function speed(t: TFunction, n: number): string {
  const lang = currentLanguage();
  let f = compact.get(lang);
  if (!f) compact.set(lang, (f = new Intl.NumberFormat(lang, { notation: 'compact', maximumSignificantDigits: 2 })));
  return t('experiments.units.perSecond', { n: n >= 1000 ? f.format(n) : String(Math.round(n)) });
}

/** 10 → "10 epochs", 1.5 → "1.5 epochs" ("10 轮"). */
export function epochsText(t: TFunction, n: number): string {
  const shown = Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, '');
  return t('experiments.units.epochs', { count: n, n: shown });
}

/** A date as "1 Dec, 10:02" in the reader's language ("12月1日 10:02"). */
export function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(currentLanguage(), { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
