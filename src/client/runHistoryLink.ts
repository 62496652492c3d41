/**
 * A run as a link: the configuration as URL parameters (the hyperparameter table's names) plus
 * `run=`, a compact summary of its result, so a shared link says "this run reached 96.9%" beside
 * the recipient's own. The summary is checked like every URL value: anything malformed is ignored
 * with a reason, never shown as a result.
 *
 * `run=<test accuracy %>_<test loss>_<epochs run>_<d|e|s>_<seconds>`, e.g. `run=96.69_0.1961_10_d_14.8`
 * (d: done, e: early-stopped, s: stopped).
 */
import { configToQuery, type TrainConfig } from '../shared/trainConfig';
import { message, type Message, type MessageKey } from './localMessage';
import type { RunRecord, RunState } from './runHistoryRecord';

/** The URL parameter that carries a run's result. */
export const RUN_PARAM = 'run';

/** What a shared link says about the run it came from. */
export interface SharedRunSummary {
  /** 0..1 */
  testAccuracy: number;
  testLoss: number;
  epochsRun: number;
  state: Exclude<RunState, 'failed'>;
  /** Wall time, s. */
  seconds: number;
}

const CODE: Record<SharedRunSummary['state'], string> = { done: 'd', 'early-stopped': 'e', stopped: 's' };
const STATE: Record<string, SharedRunSummary['state']> = { d: 'done', e: 'early-stopped', s: 'stopped' };

/** The summary of a run that has a test result (failed runs and runs without one have none). */
export function summaryOf(r: Pick<RunRecord, 'state' | 'test' | 'epochsRun' | 'elapsedMs'>): SharedRunSummary | null {
  if (r.state === 'failed' || !r.test || r.epochsRun === null) return null;
  return {
    testAccuracy: r.test.accuracy,
    testLoss: r.test.loss,
    epochsRun: r.epochsRun,
    state: r.state,
    seconds: (r.elapsedMs ?? 0) / 1000,
  };
}

/** `96.69_0.1961_10_d_14.8` */
export function encodeSummary(s: SharedRunSummary): string {
  const epochs = Number.isInteger(s.epochsRun) ? String(s.epochsRun) : s.epochsRun.toFixed(2);
  return [(s.testAccuracy * 100).toFixed(2), s.testLoss.toFixed(4), epochs, CODE[s.state], s.seconds.toFixed(1)].join('_');
}

const NUMBER = String.raw`\d{1,6}(?:\.\d{1,6})?`;
const PATTERN = new RegExp(`^(${NUMBER})_(${NUMBER})_(${NUMBER})_([des])_(${NUMBER})$`);

/** Reads a `run=` value; a message saying why when it is not one this page writes (or out of range). */
export function parseSummary(text: string): { summary: SharedRunSummary } | { error: Message } {
  const m = PATTERN.exec(text.trim());
  const bad = (why: MessageKey) => ({
    error: message('experiments.link.ignored', { param: RUN_PARAM, value: text.slice(0, 40), why: message(why) }),
  });
  if (!m) return bad('experiments.link.notForm');
  const [acc, loss, epochs, code, seconds] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4]!, Number(m[5])];
  if (acc > 100) return bad('experiments.link.accuracy');
  if (loss > 100) return bad('experiments.link.loss');
  if (epochs <= 0 || epochs > 10_000) return bad('experiments.link.epochs');
  if (seconds > 1e6) return bad('experiments.link.time');
  return { summary: { testAccuracy: acc / 100, testLoss: loss, epochsRun: epochs, state: STATE[code]!, seconds } };
}

/** The shared run in the current URL, if any (null when there is no `run=`). */
export function sharedRunFromQuery(search: string): { summary: SharedRunSummary } | { error: Message } | null {
  const value = new URLSearchParams(search).get(RUN_PARAM);
  return value === null ? null : parseSummary(value);
}

/**
 * The link for a run: the page's address with the run's configuration (values that differ from the
 * recipe) and, when it has a result, its summary. Other query parameters of `base` are dropped.
 */
export function runLink(base: string, config: TrainConfig, summary: SharedRunSummary | null): string {
  const url = new URL(base);
  const query = configToQuery(config, '');
  const params = new URLSearchParams(query);
  if (summary) params.set(RUN_PARAM, encodeSummary(summary));
  const s = params.toString();
  return `${url.origin}${url.pathname}${s ? `?${s}` : ''}`;
}
