import { describe, expect, it } from 'vitest';
import { inkTopology, MIN_BRANCH_PX, skeleton, strokeEnds } from './inkTopology';
import { strokesToInput } from './strokeInput';
import type { Stroke } from './strokes';

const ring = (cx: number, cy: number, r: number, n = 40): Stroke =>
  Array.from({ length: n + 2 }, (_, i) => ({ x: cx + r * Math.cos((i / n) * 2 * Math.PI), y: cy + r * Math.sin((i / n) * 2 * Math.PI) }));
const line = (x0: number, y0: number, x1: number, y1: number): Stroke => [
  { x: x0, y: y0 },
  { x: x1, y: y1 },
];
const input = (strokes: Stroke[]) => strokesToInput(strokes) as Float32Array;

/** A 28x28 0/1 image from rows of '#' and '.'. */
const picture = (rows: string[]) => {
  const out = new Uint8Array(784);
  rows.forEach((row, y) => [...row].forEach((c, x) => (out[(y + 2) * 28 + x + 2] = c === '#' ? 1 : 0)));
  return out;
};

describe('inkTopology', () => {
  it('counts loops: none for a line, one for a 0, four for a circle with a cross', () => {
    expect(inkTopology(input([line(0.5, 0.1, 0.5, 0.9)])).loops).toBe(0);
    expect(inkTopology(input([ring(0.5, 0.5, 0.4)])).loops).toBe(1);
    expect(inkTopology(input([ring(0.5, 0.5, 0.4), line(0.22, 0.22, 0.78, 0.78), line(0.78, 0.22, 0.22, 0.78)])).loops).toBe(4);
  });

  it('finds ink inside a loop (the eyes of a smiley), not ink beside it', () => {
    const face = ring(0.5, 0.5, 0.45);
    expect(inkTopology(input([face, [{ x: 0.38, y: 0.38 }], [{ x: 0.62, y: 0.38 }]])).islands).toBe(2);
    expect(inkTopology(input([ring(0.3, 0.5, 0.2), [{ x: 0.8, y: 0.5 }]])).islands).toBe(0);
  });

  it('counts stroke ends: 2 for a line, 0 for a ring, 4 for an x', () => {
    expect(inkTopology(input([line(0.5, 0.1, 0.5, 0.9)])).ends).toBe(2);
    expect(inkTopology(input([ring(0.5, 0.5, 0.4)])).ends).toBe(0);
    expect(inkTopology(input([line(0.1, 0.1, 0.9, 0.9), line(0.9, 0.1, 0.1, 0.9)])).ends).toBe(4);
  });

  it(`does not count a spur shorter than ${MIN_BRANCH_PX} px as a stroke end`, () => {
    const bar = ['....................', '#'.repeat(20)];
    const withSpur = picture([...bar, '..........#.........', '..........#.........']);
    const withBranch = picture([...bar, ...Array.from({ length: MIN_BRANCH_PX + 2 }, () => '..........#.........')]);
    expect(strokeEnds(skeleton(picture(bar)))).toBe(2);
    expect(strokeEnds(skeleton(withSpur))).toBe(2);
    expect(strokeEnds(skeleton(withBranch))).toBe(3);
  });

  it('measures straightness and lean: a vertical line leans 0°, a diagonal 45°, a ring is not straight', () => {
    const vertical = inkTopology(input([line(0.5, 0.1, 0.5, 0.9)]));
    expect(vertical.straightness).toBeLessThan(0.15);
    expect(vertical.tilt).toBeLessThan(1);
    const diagonal = inkTopology(input([line(0.1, 0.9, 0.9, 0.1)]));
    expect(diagonal.straightness).toBeLessThan(0.15);
    expect(diagonal.tilt).toBeCloseTo(45, 0);
    expect(inkTopology(input([ring(0.5, 0.5, 0.4)])).straightness).toBeGreaterThan(0.8);
  });
});
