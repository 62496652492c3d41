import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mnistTest } from '../../scripts/referenceModel';
import { decodeDigitShapes, shapeDistance, type DigitShapesFile } from './digitShapes';

const file = JSON.parse(readFileSync(new URL('../../public/models/digit-shapes.json', import.meta.url), 'utf8')) as DigitShapesFile;

describe('digit shapes', () => {
  const shapes = decodeDigitShapes(file);

  it('decodes ten classes of orthonormal components (to int8 precision) with limits', () => {
    expect(shapes.means).toHaveLength(10);
    expect(shapes.limits.every((l) => l > 3 && l < 10)).toBe(true);
    for (const comps of shapes.components) {
      expect(comps).toHaveLength(file.components);
      const [a, b] = comps as [Float32Array, Float32Array];
      expect(a.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 2);
      expect(Math.abs(a.reduce((s, v, i) => s + v * (b[i] as number), 0))).toBeLessThan(0.01);
    }
  });

  it('refuses a malformed file', () => {
    expect(() => decodeDigitShapes({ ...file, classes: file.classes.slice(0, 9) })).toThrow(/10 classes/);
    expect(() => decodeDigitShapes({ ...file, classes: file.classes.map((c) => ({ ...c, mean: 'AAAA' })) })).toThrow(/mean of 3 pixels/);
  });

  it('puts MNIST test digits nearer their own class than other classes', () => {
    const test = mnistTest();
    let nearestOwn = 0;
    const n = 500;
    for (let i = 0; i < n; i++) {
      const x = Float32Array.from(test.pixels.subarray(i * 784, i * 784 + 784), (v) => v / 255);
      const d = Array.from({ length: 10 }, (_, c) => shapeDistance(shapes, x, c));
      if (d.indexOf(Math.min(...d)) === test.labels[i]) nearestOwn++;
    }
    // A nearest-subspace classifier in its own right (Hastie & Simard): most digits are nearest their class.
    expect(nearestOwn / n).toBeGreaterThan(0.85);
    expect(shapeDistance(shapes, shapes.means[3] as Float32Array, 3)).toBeLessThan(0.05);
  });
});
