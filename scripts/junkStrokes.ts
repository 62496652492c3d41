/**
 * Drawings that are not digits, as pad strokes (points 0..1), for measuring and testing
 * the prediction verdict: dots, horizontal and diagonal lines, crosses (x and +),
 * zigzags, dense scribbles and random walks. Seeded: the same sets every run.
 */
import type { Stroke, StrokePoint } from '../src/drawing/strokes';

/** A small deterministic generator (LCG), uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

type Maker = (rnd: () => number) => Stroke[];

const around = (rnd: () => number, x: number, y: number, r: number): StrokePoint => ({
  x: x + (rnd() - 0.5) * 2 * r,
  y: y + (rnd() - 0.5) * 2 * r,
});

/** One generator per kind of non-digit. */
export const JUNK_MAKERS: Record<string, Maker> = {
  /** A tap: one point. */
  dot: (rnd) => [[around(rnd, 0.5, 0.5, 0.3)]],
  /** A horizontal-ish line, 20-70% of the pad, up to ±8° off. */
  'horizontal line': (rnd) => {
    const y = 0.2 + rnd() * 0.6;
    const x = 0.1 + rnd() * 0.2;
    const len = 0.2 + rnd() * 0.5;
    const tilt = (rnd() - 0.5) * 0.3;
    return [
      [
        { x, y },
        { x: x + len, y: y + tilt * len },
      ],
    ];
  },
  /** A line at 45° (either way) ±8°. */
  'diagonal line': (rnd) => {
    const c = around(rnd, 0.5, 0.5, 0.1);
    const len = 0.2 + rnd() * 0.4;
    const a = ((rnd() < 0.5 ? 1 : 3) * Math.PI) / 4 + (rnd() - 0.5) * 0.3;
    return [
      [
        { x: c.x - (len * Math.cos(a)) / 2, y: c.y - (len * Math.sin(a)) / 2 },
        { x: c.x + (len * Math.cos(a)) / 2, y: c.y + (len * Math.sin(a)) / 2 },
      ],
    ];
  },
  /** An x: two crossing diagonals. */
  'cross (x)': (rnd) => {
    const c = around(rnd, 0.5, 0.5, 0.1);
    const h = 0.15 + rnd() * 0.3;
    const j = () => (rnd() - 0.5) * 0.1 * h;
    return [
      [
        { x: c.x - h + j(), y: c.y - h + j() },
        { x: c.x + h + j(), y: c.y + h + j() },
      ],
      [
        { x: c.x + h + j(), y: c.y - h + j() },
        { x: c.x - h + j(), y: c.y + h + j() },
      ],
    ];
  },
  /** A +: a horizontal and a vertical line. */
  'cross (+)': (rnd) => {
    const c = around(rnd, 0.5, 0.5, 0.1);
    const h = 0.15 + rnd() * 0.3;
    const j = () => (rnd() - 0.5) * 0.1 * h;
    return [
      [
        { x: c.x - h, y: c.y + j() },
        { x: c.x + h, y: c.y + j() },
      ],
      [
        { x: c.x + j(), y: c.y - h },
        { x: c.x + j(), y: c.y + h },
      ],
    ];
  },
  /** One stroke through 5-14 random points. */
  zigzag: (rnd) => {
    const n = 5 + Math.floor(rnd() * 10);
    const c = around(rnd, 0.5, 0.5, 0.1);
    const r = 0.15 + rnd() * 0.25;
    return [Array.from({ length: n }, () => around(rnd, c.x, c.y, r))];
  },
  /** Dense loops scribbled over one spot (crossing out). */
  scribble: (rnd) => {
    const c = around(rnd, 0.5, 0.5, 0.1);
    const r = 0.15 + rnd() * 0.25;
    const n = 40 + Math.floor(rnd() * 60);
    const pts: StrokePoint[] = [];
    let a = 0;
    for (let i = 0; i < n; i++) {
      a += 0.5 + rnd();
      const ri = r * (0.3 + 0.7 * rnd());
      pts.push({ x: c.x + ri * Math.cos(a) + (rnd() - 0.5) * r * 0.5, y: c.y + ri * Math.sin(a) * (0.6 + 0.8 * rnd()) });
    }
    return [pts];
  },
  /** A wandering line: 20-60 steps of 4% of the pad, turning at random. */
  'random walk': (rnd) => {
    let p = around(rnd, 0.5, 0.5, 0.1);
    const pts = [p];
    const n = 20 + Math.floor(rnd() * 40);
    let a = rnd() * 2 * Math.PI;
    for (let i = 0; i < n; i++) {
      a += (rnd() - 0.5) * 2;
      p = { x: Math.min(0.95, Math.max(0.05, p.x + 0.04 * Math.cos(a))), y: Math.min(0.95, Math.max(0.05, p.y + 0.04 * Math.sin(a))) };
      pts.push(p);
    }
    return [pts];
  },
};

/** `n` drawings of every kind, seeded. */
export function junkSets(n: number, seed = 7): Record<string, Stroke[][]> {
  const rnd = seededRandom(seed);
  return Object.fromEntries(Object.entries(JUNK_MAKERS).map(([name, make]) => [name, Array.from({ length: n }, () => make(rnd))]));
}
