/**
 * What happened in a finished run, in one plain sentence and a kind that sets its colour:
 * computed from the run's own curves (validation per epoch, the test accuracy at the end),
 * never from "it finished". Chance level is never called a success.
 */
import { REFERENCE_TEST_ACCURACY } from '../shared/constants';

export type RunVerdictKind = 'learning' | 'chance' | 'slow' | 'overfitting' | 'nan';

/** The verdict in two or three words (the run bar at the bottom of a phone). */
export const VERDICT_SHORT: Record<RunVerdictKind, string> = {
  learning: 'learning well',
  chance: 'stuck at chance',
  slow: 'barely learning',
  overfitting: 'overfitting',
  nan: 'the loss blew up',
};

export interface RunVerdict {
  kind: RunVerdictKind;
  /** What happened, e.g. "Stuck at chance: 11.4% is what guessing gets." */
  headline: string;
  /** What to try, or null when there is nothing to fix. */
  advice: string | null;
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

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const epochsText = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;

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
      headline: 'The loss became NaN (not a number): the weights blew up and the run stopped.',
      advice: `The learning rate is far too high: try ${run.learningRate > 0.001 ? '0.001' : 'a tenth of it'}.`,
    };
  const accuracy = run.testAccuracy ?? run.epochs.at(-1)?.valAccuracy ?? null;
  if (accuracy === null || !Number.isFinite(accuracy)) return null;
  const epochs = run.epochs.length;
  if (accuracy < CHANCE_LEVEL) {
    const tooHigh = run.learningRate > 0.005;
    return {
      kind: 'chance',
      headline: `Stuck at chance: ${pct(accuracy)} is what guessing gets (10%). It did not learn.`,
      advice: tooHigh
        ? 'The learning rate is probably too high: try 0.001.'
        : 'Too low a learning rate or too few steps: try a higher learning rate, Adam at 0.001, or more epochs.',
    };
  }
  const overfit = overfitFrom(run.epochs);
  if (overfit)
    return {
      kind: 'overfitting',
      headline: `Overfitting: validation loss rose from ${overfit.best.valLoss.toFixed(3)} (epoch ${overfit.best.epoch}) to ${overfit.last.valLoss.toFixed(3)} while the training loss kept falling. It is memorising its training images.`,
      advice: `Stop earlier (Early stopping: 2), add dropout (0.2), or train on more images. It read ${pct(accuracy)} of the test images.`,
    };
  if (accuracy < SLOW_LEVEL)
    return {
      kind: 'slow',
      headline: `Barely learning: ${pct(accuracy)}${epochs ? ` after ${epochsText(epochs)}` : ''}.`,
      advice:
        run.optimizer === 'sgd' && run.learningRate < 0.05
          ? 'Plain SGD at this learning rate moves slowly: try 0.05, or Adam at 0.001, or more epochs.'
          : 'Too low a learning rate or too few epochs: try Adam at 0.001, more epochs or more images.',
    };
  return {
    kind: 'learning',
    headline: `Learning well: it reads ${pct(accuracy)} of the test images it never saw${epochs ? `, after ${epochsText(epochs)}` : ''}.`,
    advice: accuracy < REFERENCE_TEST_ACCURACY - 0.01 ? 'More epochs or images would bring it closer to the reference recipe.' : null,
  };
}
