/**
 * Honest accuracy on your digits: a few of them are kept aside and never sent to fine-tuning,
 * so "held out" is measured on drawings the network did not learn from (the rest is training
 * accuracy). Per digit, in the order you labelled them, every fifth is held out, from the third
 * on (the 3rd, 8th, 13th, ... 3 of each digit is the first that holds one out). Pure.
 */

/** One in this many of each digit is held out. */
export const HOLD_OUT_EVERY = 5;
/** Its place in each run of HOLD_OUT_EVERY (0-based): the third. */
const HOLD_OUT_AT = 2;
/** Held-out digits needed before their accuracy means anything. */
export const MIN_HELD_OUT = 5;
/** Digits needed before "your digits" shows an accuracy (one misread digit would read 0%). */
export const MIN_MEASURED = 5;

/** For each digit in the list (by label, in order): true when it is held out. */
export function heldOutMask(labels: ArrayLike<number>): boolean[] {
  const seen = new Map<number, number>();
  return Array.from(labels, (label) => {
    const n = seen.get(label) ?? 0;
    seen.set(label, n + 1);
    return n % HOLD_OUT_EVERY === HOLD_OUT_AT;
  });
}

export interface SplitAccuracy {
  /** Share of the held-out digits read right, or null with fewer than MIN_HELD_OUT of them. */
  heldOut: number | null;
  heldOutCount: number;
  heldOutRight: number;
  /** Share of the others (the ones fine-tuning learns from) read right, or null without any. */
  learned: number | null;
  learnedCount: number;
}

/** Accuracy on the held-out part and on the rest, from the model's reading of the whole list. */
export function splitAccuracy(labels: ArrayLike<number>, predicted: ArrayLike<number>, mask: readonly boolean[]): SplitAccuracy {
  let heldOutCount = 0;
  let heldOutRight = 0;
  let learnedCount = 0;
  let learnedRight = 0;
  for (let i = 0; i < labels.length; i++) {
    const right = predicted[i] === labels[i] ? 1 : 0;
    if (mask[i]) {
      heldOutCount++;
      heldOutRight += right;
    } else {
      learnedCount++;
      learnedRight += right;
    }
  }
  return {
    heldOut: heldOutCount >= MIN_HELD_OUT ? heldOutRight / heldOutCount : null,
    heldOutCount,
    heldOutRight,
    learned: learnedCount ? learnedRight / learnedCount : null,
    learnedCount,
  };
}
