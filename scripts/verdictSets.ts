/**
 * The verdict's yardstick, shared by scripts/measureDrawing.ts and the unit test
 * (src/drawing/verdictJunk.test.ts): MNIST digits redrawn as pad strokes and junk
 * drawings (junkStrokes.ts), both read the page's way (strokesToInput, then the shipped
 * model, then verdict() with the digit shapes), counted per kind.
 */
import { readFileSync } from 'node:fs';
import { mnistToStrokes, placeStrokes } from './mnistStrokes';
import { JUNK_KINDS, junkDrawing, seededRandom } from './junkStrokes';
import type { Classifier } from './referenceModel';
import { strokesToInput } from '../src/drawing/strokeInput';
import { decodeDigitShapes, type DigitShapes } from '../src/drawing/digitShapes';
import { decodeInkCheck, type InkCheck } from '../src/drawing/inkCheck';
import { verdict, type Verdict, type VerdictKind } from '../src/drawing/verdict';
import type { Stroke } from '../src/drawing/strokes';

/** The shipped ink check (public/models/ink-check.json). */
export function shippedInkCheck(path: string | URL = new URL('../public/models/ink-check.json', import.meta.url)): InkCheck {
  return decodeInkCheck(JSON.parse(readFileSync(path, 'utf8')));
}

/** The shipped digit shapes (public/models/digit-shapes.json). */
export function shippedShapes(): DigitShapes {
  return decodeDigitShapes(JSON.parse(readFileSync(new URL('../public/models/digit-shapes.json', import.meta.url), 'utf8')));
}

/**
 * MNIST digit `index` of `pixels` (bytes, 784 a digit) as pad strokes: skeleton traced,
 * then drawn at 30-90% of a 320-px pad somewhere on it (size and place seeded by the index).
 */
export function redrawnDigit(pixels: Uint8Array, index: number): Stroke[] {
  const rnd = seededRandom(index * 7919 + 1);
  const size = 0.3 + rnd() * 0.6;
  const free = 0.9 - size;
  const strokes = mnistToStrokes(pixels.subarray(index * 784, index * 784 + 784));
  return placeStrokes(strokes, size, 0.05 + size / 2 + free * rnd(), 0.05 + size / 2 + free * rnd(), 320);
}

/** Verdicts for drawings, read the page's way: one batch through the model. */
export function verdictsOf(classify: Classifier, shapes: DigitShapes, drawings: readonly Stroke[][], check?: InkCheck | null): Verdict[] {
  const inputs = drawings.map((s) => strokesToInput(s) ?? new Float32Array(784));
  const batch = new Float32Array(inputs.length * 784);
  inputs.forEach((x, i) => batch.set(x, i * 784));
  const p = classify(batch);
  return inputs.map((x, i) => verdict(p.subarray(i * 10, i * 10 + 10), x, shapes, check));
}

/** How many of each verdict, and the not-a-digit reasons. */
export interface VerdictTally {
  n: number;
  count: Record<VerdictKind, number>;
  reasons: Map<string, number>;
}

export function tally(verdicts: readonly Verdict[]): VerdictTally {
  const count: Record<VerdictKind, number> = { digit: 0, unsure: 0, 'not-a-digit': 0 };
  const reasons = new Map<string, number>();
  for (const v of verdicts) {
    count[v.kind]++;
    if (v.reason) reasons.set(v.reason, (reasons.get(v.reason) ?? 0) + 1);
  }
  return { n: verdicts.length, count, reasons };
}

/** Per junk kind: the tally of `n` drawings with seeds firstSeed .. firstSeed + n - 1. */
export function junkTallies(
  classify: Classifier,
  shapes: DigitShapes,
  n: number,
  firstSeed: number,
  check?: InkCheck | null,
): Map<string, VerdictTally> {
  const out = new Map<string, VerdictTally>();
  for (const kind of JUNK_KINDS)
    out.set(
      kind,
      tally(
        verdictsOf(
          classify,
          shapes,
          Array.from({ length: n }, (_, i) => junkDrawing(kind, firstSeed + i)),
          check,
        ),
      ),
    );
  return out;
}
