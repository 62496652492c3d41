import { describe, expect, it } from 'vitest';
import { decimate } from './decimate';

const series = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ x: i, y: f(i) }));
const y = (p: { y: number }) => p.y;

describe('decimate', () => {
  it('returns a short series as it is', () => {
    const s = series(100, (i) => i);
    expect(decimate(s, 300, y)).toBe(s);
  });

  it('cuts 10,000 points to at most the maximum, keeping the first and last and x order', () => {
    const s = series(10_000, (i) => Math.sin(i / 100));
    const d = decimate(s, 300, y);
    expect(d.length).toBeLessThanOrEqual(300);
    expect(d.length).toBeGreaterThan(250);
    expect(d[0]).toBe(s[0]);
    expect(d.at(-1)).toBe(s.at(-1));
    for (let i = 1; i < d.length; i++) expect(d[i]!.x).toBeGreaterThan(d[i - 1]!.x);
  });

  it('keeps a one-point spike and the lowest point (the envelope)', () => {
    const s = series(5000, (i) => (i === 1234 ? 50 : i === 3210 ? -7 : 1));
    const d = decimate(s, 100, y);
    expect(d.some((p) => p.y === 50)).toBe(true);
    expect(d.some((p) => p.y === -7)).toBe(true);
    expect(Math.max(...d.map(y))).toBe(50);
  });
});
