import { describe, expect, it } from 'vitest';
import { addSegment, flattenStroke, rasterizeStrokes, strokeExtent } from './strokeRaster';
import type { InkImage } from './preprocess';

const blank = (w: number, h: number): InkImage => ({ width: w, height: h, data: new Float32Array(w * h) });
const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
const identity = { scale: 1, tx: 0, ty: 0 };

describe('addSegment', () => {
  it('puts exactly `width` ink across a straight stroke, whatever the width', () => {
    for (const width of [1.5, 2.4, 6, 11.3]) {
      const img = blank(60, 40);
      addSegment(img, { x: 5, y: 20.3 }, { x: 55, y: 20.3 }, width);
      // A column well inside the segment.
      let col = 0;
      for (let y = 0; y < 40; y++) col += img.data[y * 60 + 30] as number;
      expect(col).toBeCloseTo(width, 1);
    }
  });

  it('draws a dot as a disc of the pen width (area within 3%), and keeps the larger coverage where strokes cross', () => {
    const img = blank(40, 40);
    addSegment(img, { x: 20, y: 20 }, { x: 20, y: 20 }, 16);
    expect(sum(img.data) / (Math.PI * 64)).toBeGreaterThan(0.97);
    expect(sum(img.data) / (Math.PI * 64)).toBeLessThan(1.03);
    const before = sum(img.data);
    addSegment(img, { x: 20, y: 20 }, { x: 20, y: 20 }, 16);
    expect(sum(img.data)).toBe(before);
    expect(Math.max(...img.data)).toBe(1);
  });
});

describe('flattenStroke', () => {
  it('starts at the first point, ends at the last, and passes through the midpoints like the canvas path', () => {
    const stroke = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
      { x: 0, y: 10 },
    ];
    const line = flattenStroke(stroke, identity, 0.5);
    expect(line[0]).toEqual({ x: 0, y: 0 });
    expect(line[line.length - 1]).toEqual({ x: 0, y: 10 });
    // The midpoint of (10,0)-(10,10) ends the first curve.
    expect(line.some((p) => Math.abs(p.x - 10) < 1e-9 && Math.abs(p.y - 5) < 1e-9)).toBe(true);
    // Curve pieces no longer than asked for (the closing lineTo is straight and stays whole).
    for (let i = 1; i < line.length - 1; i++)
      expect(Math.hypot(line[i]!.x - line[i - 1]!.x, line[i]!.y - line[i - 1]!.y)).toBeLessThanOrEqual(0.5 + 1e-9);
    // The curve cuts the corners (never reaches (10, 0) itself).
    expect(line.some((p) => p.x === 10 && p.y === 0)).toBe(false);
  });

  it('applies the transform', () => {
    const line = flattenStroke(
      [
        { x: 0.1, y: 0.2 },
        { x: 0.3, y: 0.4 },
      ],
      { scale: 100, tx: 5, ty: -5 },
    );
    expect(line).toEqual([
      { x: 15, y: 15 },
      { x: 35, y: 35 },
    ]);
  });
});

describe('rasterizeStrokes and strokeExtent', () => {
  it('renders every stroke, a one-point stroke as a dot', () => {
    const img = rasterizeStrokes(
      [
        [{ x: 0.2, y: 0.5 }],
        [
          { x: 0.5, y: 0.2 },
          { x: 0.5, y: 0.8 },
        ],
      ],
      { scale: 100, tx: 0, ty: 0 },
      4,
      { width: 100, height: 100 },
    );
    expect(img.data[50 * 100 + 20]).toBe(1);
    expect(img.data[50 * 100 + 50]).toBe(1);
    expect(img.data[10 * 100 + 50]).toBe(0);
    // Line 60 px long + round caps, 4 px wide, plus the dot.
    expect(sum(img.data)).toBeCloseTo(60 * 4 + Math.PI * 4 + Math.PI * 4, -1);
  });

  it('strokeExtent is the box of the points, null without points', () => {
    expect(strokeExtent([])).toBeNull();
    expect(strokeExtent([[]])).toBeNull();
    expect(
      strokeExtent([
        [{ x: 0.2, y: 0.5 }],
        [
          { x: 0.5, y: 0.1 },
          { x: 0.4, y: 0.9 },
        ],
      ]),
    ).toEqual({ x0: 0.2, y0: 0.1, x1: 0.5, y1: 0.9 });
  });
});
