import { describe, expect, it } from 'vitest';
import { mnistTest } from './referenceModel';
import { mnistToStrokes, placeStrokes, skeletonStrokes, strokeLength, thin, type BinaryImage } from './mnistStrokes';

function bar(w: number, h: number, x0: number, y0: number, x1: number, y1: number): BinaryImage {
  const data = new Uint8Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * w + x] = 1;
  return { width: w, height: h, data };
}

describe('thin and skeletonStrokes', () => {
  it('thins a 7-px-thick horizontal bar to a one-pixel line of about its length', () => {
    const skel = thin(bar(60, 20, 5, 6, 55, 13));
    for (let x = 10; x < 50; x++) {
      let col = 0;
      for (let y = 0; y < 20; y++) col += skel.data[y * 60 + x] as number;
      expect(col).toBe(1);
    }
    const len = strokeLength(skeletonStrokes(skel, 1));
    expect(len).toBeGreaterThan(40);
    expect(len).toBeLessThan(50);
  });

  it('keeps an isolated pixel as a one-point stroke', () => {
    const strokes = skeletonStrokes(bar(5, 5, 2, 2, 3, 3), 1);
    expect(strokes).toEqual([[{ x: 2.5, y: 2.5 }]]);
  });
});

describe('mnistToStrokes and placeStrokes', () => {
  const test = mnistTest();
  it('traces an MNIST digit along its ink: strokes lie on inked pixels, and cover the digit', () => {
    const px = test.pixels.subarray(0, 784); // a 7
    const strokes = mnistToStrokes(px);
    expect(strokes.length).toBeGreaterThan(10);
    for (const s of strokes) for (const p of s) expect(px[Math.floor(p.y) * 28 + Math.floor(p.x)]).toBeGreaterThan(60);
    let x0 = 28,
      x1 = 0;
    for (const s of strokes)
      for (const p of s) {
        x0 = Math.min(x0, p.x);
        x1 = Math.max(x1, p.x);
      }
    expect(x1 - x0).toBeGreaterThan(10);
  });

  it('places strokes at the asked size and centre, on the pad pixel grid', () => {
    const placed = placeStrokes(
      [
        [
          { x: 0, y: 0 },
          { x: 10, y: 5 },
        ],
      ],
      0.5,
      0.5,
      0.5,
      100,
    );
    expect(placed).toEqual([
      [
        { x: 0.25, y: 0.38 },
        { x: 0.75, y: 0.63 },
      ],
    ]);
  });
});
