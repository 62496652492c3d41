/**
 * What happened in a finished run, in one plain sentence and a kind that sets its colour:
 * computed from the run's own curves (validation per epoch, the test accuracy at the end),
 * never from "it finished". Chance level is never called a success.
 */
import { REFERENCE_TEST_ACCURACY } from '../shared/constants';
import { msg, type Msg } from '../i18n/message';

export type RunVerdictKind = 'learning' | 'chance' | 'slow' | 'overfitting' | 'nan';

/** The verdict in two or three words (the run bar at the bottom of a phone): its message. */
export const verdictShort = (kind: RunVerdictKind): Msg => msg(`verdict.short.${kind}`);

export interface RunVerdict {
  kind: RunVerdictKind;
  /** What happened, e.g. "Stuck at chance: 11.4% is what guessing gets." (a message, worded by the page). */
  headline: Msg;
  /** What to try, or null when there is nothing to fix. */
  advice: Msg | null;
}

/** One epoch of the run, as the curves hold it. */
export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy: number;
}

export interface RunCurves {
  /** Validation after each epoch, in order. */
  epochs: readonly EpochPoint[];
  /** Test accuracy at the end (0..1), or null when the run has none (then the last validation accuracy counts). */
  testAccuracy: number | null;
  /** The loss became NaN or infinite and the run stopped. */
  nan: boolean;
  learningRate: number;
  optimizer: string;
}

/** Accuracy below this is stuck at chance (guessing reads 10% right). */
export const CHANCE_LEVEL = 0.2;
/** Accuracy below this (and above chance) is barely learning: the recipe is past 90% within one epoch. */
export const SLOW_LEVEL = 0.8;
/** Validation loss this far above its best, while training loss kept falling, is overfitting. */
export const OVERFIT_RISE = 1.1;

/**
 * The epoch of lowest validation loss, if validation loss has since risen by OVERFIT_RISE while
 * the training loss fell below what it was there (at least two epochs later).
 */
export function overfitFrom(epochs: readonly EpochPoint[]): { best: EpochPoint; last: EpochPoint } | null {
  if (epochs.length < 3) return null;
  let best = epochs[0]!;
  for (const e of epochs) if (e.valLoss < best.valLoss) best = e;
  const last = epochs.at(-1)!;
  if (last.epoch - best.epoch < 2) return null;
  if (!(last.valLoss > best.valLoss * OVERFIT_RISE)) return null;
  if (!(last.trainLoss < best.trainLoss)) return null;
  return { best, last };
}

/** The verdict on a finished run; null when there is nothing to judge (no test figure and no epoch). */
export function runVerdict(run: RunCurves): RunVerdict | null {
  if (run.nan)
    return {
      kind: 'nan',
      headline: msg('verdict.nan.headline'),
      advice: run.learningRate > 0.001 ? msg('verdict.nan.adviceTry', { rate: 0.001 }) : msg('verdict.nan.adviceTenth'),
    };
  const accuracy = run.testAccuracy ?? run.epochs.at(-1)?.valAccuracy ?? null;
  if (accuracy === null || !Number.isFinite(accuracy)) return null;
  const epochs = run.epochs.length;
  if (accuracy < CHANCE_LEVEL) {
    const tooHigh = run.learningRate > 0.005;
    return {
      kind: 'chance',
      headline: msg('verdict.chance.headline', { accuracy }),
      advice: tooHigh ? msg('verdict.chance.adviceHigh', { rate: 0.001 }) : msg('verdict.chance.adviceLow'),
    };
  }
  const overfit = overfitFrom(run.epochs);
  if (overfit)
    return {
      kind: 'overfitting',
      headline: msg('verdict.overfitting.headline', {
        best: overfit.best.valLoss,
        bestEpoch: overfit.best.epoch,
        last: overfit.last.valLoss,
      }),
      advice: msg('verdict.overfitting.advice', { accuracy }),
    };
  if (accuracy < SLOW_LEVEL)
    return {
      kind: 'slow',
      headline: epochs ? msg('verdict.slow.headlineAfter', { accuracy, count: epochs }) : msg('verdict.slow.headline', { accuracy }),
      advice: run.optimizer === 'sgd' && run.learningRate < 0.05 ? msg('verdict.slow.adviceSgd') : msg('verdict.slow.advice'),
    };
  return {
    kind: 'learning',
    headline: epochs ? msg('verdict.learning.headlineAfter', { accuracy, count: epochs }) : msg('verdict.learning.headline', { accuracy }),
    advice: accuracy < REFERENCE_TEST_ACCURACY - 0.01 ? msg('verdict.learning.advice') : null,
  };
}
