import { beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceModel, mnistTest, type Classifier } from '../../scripts/referenceModel';
import { mnistToStrokes, placeStrokes, strokeLength } from '../../scripts/mnistStrokes';
import { inkBoundingBox, MNIST_BOX } from './preprocess';
import { MNIST_PEN_WIDTH, proportionalPenWidth, strokesToInput, type PenModel } from './strokeInput';
import type { Stroke } from './strokes';

const OLD_PEN: PenModel = { kind: 'fixed', fraction: 0.08, canvas: 280 };
const seven: Stroke[] = [
  [
    { x: 0.18, y: 0.08 },
    { x: 0.82, y: 0.08 },
    { x: 0.62, y: 0.45 },
    { x: 0.45, y: 0.95 },
  ],
];
/** `strokes` (points 0..1 of their own square) scaled to `size` of the pad around (cx, cy). */
const at = (strokes: Stroke[], size: number, cx = 0.5, cy = 0.5): Stroke[] =>
  strokes.map((s) => s.map((p) => ({ x: cx + (p.x - 0.5) * size, y: cy + (p.y - 0.5) * size })));
const meanAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - (b[i] as number)), 0) / a.length;
const total = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

describe('strokesToInput', () => {
  it('is null without points', () => {
    expect(strokesToInput([])).toBeNull();
    expect(strokesToInput([[]])).toBeNull();
  });

  it('gives a 20-px digit centred like MNIST, with strokes about MNIST_PEN_WIDTH wide', () => {
    const x = strokesToInput(at(seven, 0.6))!;
    expect(x).toHaveLength(784);
    const box = inkBoundingBox({ width: 28, height: 28, data: x }, 0.1)!;
    expect(Math.max(box.x1 - box.x0, box.y1 - box.y0)).toBeGreaterThanOrEqual(MNIST_BOX);
    expect(Math.max(box.x1 - box.x0, box.y1 - box.y0)).toBeLessThanOrEqual(MNIST_BOX + 1);
    // Ink / centre-line length (in output px) is the pen width.
    const side = 0.6 * 0.87; // the 7's longer side (its height) on the pad
    const scale = MNIST_BOX / (side + proportionalPenWidth(side));
    const length = strokeLength(at(seven, 0.6)) * scale;
    expect(total(x) / length).toBeGreaterThan(MNIST_PEN_WIDTH * 0.85);
    expect(total(x) / length).toBeLessThan(MNIST_PEN_WIDTH * 1.15);
  });

  it('gives the same input for a digit drawn small in a corner and large in the middle; the fixed pen did not', () => {
    const small = strokesToInput(placeStrokes(at(seven, 0.2, 0.2, 0.25), 0.2, 0.2, 0.25, 320))!;
    const large = strokesToInput(placeStrokes(at(seven, 0.9), 0.9, 0.5, 0.5, 320))!;
    expect(meanAbsDiff(small, large)).toBeLessThan(0.01);
    const oldSmall = strokesToInput(at(seven, 0.2, 0.2, 0.25), OLD_PEN)!;
    const oldLarge = strokesToInput(at(seven, 0.9), OLD_PEN)!;
    expect(meanAbsDiff(oldSmall, oldLarge)).toBeGreaterThan(0.05);
    expect(total(oldSmall)).toBeGreaterThan(1.5 * total(small));
  });
});

describe('MNIST test digits redrawn as strokes, read by the shipped model', () => {
  const N = 300;
  let classify: Classifier;
  let digits: { strokes: Stroke[]; label: number }[];
  beforeAll(async () => {
    classify = (await loadReferenceModel()).classify;
    const test = mnistTest();
    digits = Array.from({ length: N }, (_, i) => ({
      strokes: mnistToStrokes(test.pixels.subarray(i * 784, i * 784 + 784)),
      label: test.labels[i] as number,
    }));
  });

  /** Accuracy at `size` of the pad, each digit somewhere on the pad (fixed pseudo-random positions), on a 320-px pad. */
  function accuracy(size: number, pen?: PenModel): number {
    const batch = new Float32Array(N * 784);
    digits.forEach(({ strokes }, i) => {
      const free = Math.max(0, 1 - size - 0.1);
      const cx = 0.05 + size / 2 + free * ((i * 0.618) % 1);
      const cy = 0.05 + size / 2 + free * ((i * 0.382 + 0.5) % 1);
      batch.set(strokesToInput(placeStrokes(strokes, size, cx, cy, 320), pen) ?? new Float32Array(784), i * 784);
    });
    const p = classify(batch);
    let ok = 0;
    digits.forEach(({ label }, i) => {
      let best = 0;
      for (let d = 1; d < 10; d++) if ((p[i * 10 + d] as number) > (p[i * 10 + best] as number)) best = d;
      if (best === label) ok++;
    });
    return ok / N;
  }

  it('reads them as well at 20%, 35%, 70% and 95% of the pad (within 3 points), and well (>= 90%)', () => {
    const acc = [0.2, 0.35, 0.7, 0.95].map((s) => accuracy(s));
    expect(Math.max(...acc) - Math.min(...acc)).toBeLessThanOrEqual(0.03);
    expect(Math.min(...acc)).toBeGreaterThanOrEqual(0.9);
    // The pen of 8% of the pad made small digits blobs (and this test can tell).
    expect(accuracy(0.2, OLD_PEN)).toBeLessThan(Math.min(...acc) - 0.05);
  });
});
