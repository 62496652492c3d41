/**
 * Drawings that are not digits, as pad strokes (points 0..1), for measuring and testing
 * the prediction verdict (src/drawing/verdict.ts): dots, lines, crosses, zigzags,
 * scribbles, random walks, circles with a cross, filled blobs, letters and smileys.
 *
 * Each kind is a small maker that draws its shape in its own frame ([-1, 1] both ways,
 * y down) the way a hand would: the shape is then sized (a fifth to four fifths of the
 * pad), stretched a little, slanted, rotated a few degrees, placed anywhere it fits, and
 * every stroke is resampled like pointer events and given a slow wobble (hand jitter).
 * Seeded: the same seed gives the same drawings, on every machine.
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

export type Rnd = () => number;
type Maker = (rnd: Rnd) => Stroke[];
/** Points in the shape's own frame, [-1, 1] both ways, y down. */
export type Path = [number, number][];

const between = (rnd: Rnd, a: number, b: number) => a + rnd() * (b - a);
const around = (rnd: Rnd, x: number, y: number, r: number): StrokePoint => ({
  x: x + (rnd() - 0.5) * 2 * r,
  y: y + (rnd() - 0.5) * 2 * r,
});

/** An arc of an ellipse, from angle a0 to a1 (radians, 0 = right, clockwise on screen), n points. */
function arc(cx: number, cy: number, rx: number, ry: number, a0: number, a1: number, n = 24): Path {
  return Array.from({ length: n + 1 }, (_, i) => {
    const a = a0 + ((a1 - a0) * i) / n;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)];
  });
}

/** A closed loop (a little overlap where the pen meets its start, as people draw it). */
const loop = (rnd: Rnd, cx: number, cy: number, rx: number, ry: number): Path => {
  const start = rnd() * 2 * Math.PI;
  const dir = rnd() < 0.7 ? -1 : 1;
  return arc(cx, cy, rx, ry, start, start + dir * (2 * Math.PI + between(rnd, 0, 0.3)), 32);
};

export interface Placement {
  /** Longer side of the drawing, fraction of the pad. */
  size?: [number, number];
  /** Rotation, radians (uniform ±). */
  rotate?: number;
  /** Horizontal shear (slant), uniform ±. */
  slant?: number;
  /** Width / height stretch, uniform ±. */
  stretch?: number;
  /** Wobble amplitude, fraction of the drawing's size. */
  wobble?: number;
}

/**
 * Paths in the shape's frame as pad strokes: stretched, slanted, rotated, sized and placed
 * at random, each resampled every ~1% of the pad (pointer events), with a slow wobble and
 * points on the pad's 320-px CSS grid. Exported for digits drawn the same way
 * (scripts/buildInkCheck.ts), so a detector cannot tell junk from digits by the hand alone.
 */
export function place(rnd: Rnd, paths: Path[], o: Placement = {}): Stroke[] {
  const [s0, s1] = o.size ?? [0.25, 0.8];
  const rot = (rnd() - 0.5) * 2 * (o.rotate ?? 0.12);
  const shear = (rnd() - 0.5) * 2 * (o.slant ?? 0.2);
  const stretch = 1 + (rnd() - 0.5) * 2 * (o.stretch ?? 0.15);
  const tf = ([x, y]: [number, number]): [number, number] => {
    const sx = (x + shear * -y) * stretch;
    const sy = y / stretch;
    return [sx * Math.cos(rot) - sy * Math.sin(rot), sx * Math.sin(rot) + sy * Math.cos(rot)];
  };
  const shaped = paths.map((p) => p.map(tf));
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of shaped)
    for (const [x, y] of p) {
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  const side = Math.max(x1 - x0, y1 - y0) || 1;
  const size = between(rnd, s0, s1);
  const k = size / side;
  const w = (x1 - x0) * k;
  const h = (y1 - y0) * k;
  const ox = between(rnd, 0.05, Math.max(0.05, 0.95 - w)) - x0 * k;
  const oy = between(rnd, 0.05, Math.max(0.05, 0.95 - h)) - y0 * k;
  const amp = (o.wobble ?? 0.015) * size;
  const grid = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 320) / 320;
  return shaped.map((p) => {
    const out: Stroke = [];
    let wx = (rnd() - 0.5) * amp;
    let wy = (rnd() - 0.5) * amp;
    const push = (x: number, y: number) => {
      wx = 0.8 * wx + (rnd() - 0.5) * amp;
      wy = 0.8 * wy + (rnd() - 0.5) * amp;
      const q = { x: grid(ox + x * k + wx), y: grid(oy + y * k + wy) };
      const last = out[out.length - 1];
      if (!last || last.x !== q.x || last.y !== q.y) out.push(q);
    };
    const first = p[0] as [number, number];
    push(first[0], first[1]);
    for (let i = 1; i < p.length; i++) {
      const [ax, ay] = p[i - 1] as [number, number];
      const [bx, by] = p[i] as [number, number];
      const steps = Math.max(1, Math.ceil((Math.hypot(bx - ax, by - ay) * k) / 0.01));
      for (let j = 1; j <= steps; j++) push(ax + ((bx - ax) * j) / steps, ay + ((by - ay) * j) / steps);
    }
    return out;
  });
}

/** A straight segment from (x0, y0) to (x1, y1), ends jittered by `j`. */
const seg = (rnd: Rnd, x0: number, y0: number, x1: number, y1: number, j = 0.06): Path => [
  [x0 + (rnd() - 0.5) * j, y0 + (rnd() - 0.5) * j],
  [x1 + (rnd() - 0.5) * j, y1 + (rnd() - 0.5) * j],
];

/** One generator per kind of non-digit. */
export const JUNK_MAKERS: Record<string, Maker> = {
  /** A tap: one point. */
  dot: (rnd) => [[around(rnd, 0.5, 0.5, 0.3)]],
  /** A horizontal-ish line, up to ±8° off. */
  'horizontal line': (rnd) => place(rnd, [seg(rnd, -1, 0, 1, 0, 0)], { size: [0.2, 0.7], rotate: 0.14, slant: 0, stretch: 0 }),
  /** A line at 45° (either way) ±10°. */
  'diagonal line': (rnd) => {
    const d = rnd() < 0.5 ? 1 : -1;
    return place(rnd, [seg(rnd, -1, -d, 1, d, 0)], { size: [0.2, 0.75], rotate: 0.17, slant: 0, stretch: 0 });
  },
  /** An x: two crossing diagonals in a square. */
  'cross (x)': (rnd) => place(rnd, [seg(rnd, -1, -1, 1, 1), seg(rnd, 1, -1, -1, 1)], { rotate: 0.1, slant: 0.1 }),
  /** A +: a horizontal and a vertical line crossing near their middles. */
  'cross (+)': (rnd) => {
    const cx = between(rnd, -0.2, 0.2);
    const cy = between(rnd, -0.2, 0.2);
    return place(rnd, [seg(rnd, -1, cy, 1, cy, 0.1), seg(rnd, cx, -1, cx, 1, 0.1)], { rotate: 0.12, slant: 0.1 });
  },
  /** A zigzag: one stroke back and forth, 3-7 teeth, across or down. */
  zigzag: (rnd) => {
    const teeth = 3 + Math.floor(rnd() * 5);
    const across = rnd() < 0.6;
    const amp = between(rnd, 0.25, 0.9);
    const path: Path = Array.from({ length: teeth + 1 }, (_, i) => {
      const t = -1 + (2 * i) / teeth + (rnd() - 0.5) * 0.1;
      const u = (i % 2 === 0 ? -amp : amp) + (rnd() - 0.5) * 0.15;
      return across ? [t, u] : [u, t];
    });
    return place(rnd, [path], { rotate: 0.15 });
  },
  /** One stroke through 5-14 random points (an aimless polyline). */
  'random polyline': (rnd) => {
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
  /** A circle crossed out: an x or a + through it, reaching about its rim. */
  'circle with a cross': (rnd) => {
    const r = between(rnd, 0.85, 1.1);
    const strokes = [loop(rnd, 0, 0, 1, between(rnd, 0.85, 1.15))];
    if (rnd() < 0.5)
      strokes.push(seg(rnd, -r * 0.71, -r * 0.71, r * 0.71, r * 0.71, 0.1), seg(rnd, r * 0.71, -r * 0.71, -r * 0.71, r * 0.71, 0.1));
    else strokes.push(seg(rnd, -r, 0, r, 0, 0.1), seg(rnd, 0, -r, 0, r, 0.1));
    return place(rnd, strokes);
  },
  /** A filled blob: an ellipse coloured in with one stroke hatching back and forth. */
  'filled blob': (rnd) => {
    const ry = between(rnd, 0.6, 1);
    const lines = 8 + Math.floor(rnd() * 8);
    const path: Path = [];
    for (let i = 0; i <= lines; i++) {
      const y = -ry + (2 * ry * i) / lines;
      const half = Math.sqrt(Math.max(0, 1 - (y / ry) ** 2));
      const ends: [number, number][] = [
        [-half, y],
        [half, y],
      ];
      if (i % 2) ends.reverse();
      path.push(...ends);
    }
    return place(rnd, [path], { size: [0.2, 0.6], wobble: 0.02 });
  },
  /** A capital A: two legs meeting at the top and a bar. */
  'letter A': (rnd) => {
    const top = between(rnd, -0.15, 0.15);
    const bar = between(rnd, 0.05, 0.35);
    const at = (x: number, y: number) => top + ((x - top) * (y + 1)) / 2;
    return place(
      rnd,
      rnd() < 0.6
        ? [
            [
              [-0.7, 1],
              [top, -1],
              [0.7, 1],
            ],
            seg(rnd, at(-0.7, bar), bar, at(0.7, bar), bar),
          ]
        : [seg(rnd, top, -1, -0.7, 1, 0.03), seg(rnd, top, -1, 0.7, 1, 0.03), seg(rnd, at(-0.7, bar), bar, at(0.7, bar), bar)],
      { stretch: 0.2 },
    );
  },
  /** A capital H: two uprights and a bar. */
  'letter H': (rnd) => {
    const w = between(rnd, 0.5, 0.9);
    const bar = between(rnd, -0.25, 0.25);
    return place(rnd, [seg(rnd, -w, -1, -w, 1), seg(rnd, w, -1, w, 1), seg(rnd, -w, bar, w, bar)]);
  },
  /** A tall X: two diagonals in a box about twice as tall as wide. */
  'letter X (tall)': (rnd) => {
    const w = between(rnd, 0.35, 0.6);
    return place(rnd, [seg(rnd, -w, -1, w, 1), seg(rnd, w, -1, -w, 1)]);
  },
  /** A square X, drawn as a letter (crossing a little off-centre). */
  'letter X (square)': (rnd) => {
    const cy = between(rnd, -0.2, 0.2);
    return place(rnd, [
      [
        [-1, -1],
        [0, cy],
        [1, 1],
      ],
      seg(rnd, 1, -1, -1, 1),
    ]);
  },
  /** A capital S: two opposite arcs in one stroke. */
  'letter S': (rnd) => {
    const w = between(rnd, 0.5, 0.8);
    return place(rnd, [[...arc(0, -0.5, w, 0.5, -0.2, -Math.PI * 1.5, 16), ...arc(0, 0.5, w, 0.5, -Math.PI / 2, Math.PI * 0.8, 16)]]);
  },
  /** A capital Z: top bar, diagonal, bottom bar in one stroke. */
  'letter Z': (rnd) => {
    const w = between(rnd, 0.6, 1);
    return place(rnd, [
      [
        [-w, -1],
        [w, -1],
        [-w, 1],
        [w, 1],
      ],
    ]);
  },
  /** A smiley: a face, two eyes (dots or short strokes) and a smile. */
  smiley: (rnd) => {
    const ex = between(rnd, 0.28, 0.45);
    const ey = between(rnd, -0.45, -0.2);
    const eye = (x: number): Path => (rnd() < 0.5 ? [[x, ey]] : seg(rnd, x, ey - 0.12, x, ey + 0.12, 0.04));
    const m = between(rnd, 0.35, 0.6);
    return place(rnd, [
      loop(rnd, 0, 0, 1, between(rnd, 0.9, 1.1)),
      eye(-ex),
      eye(ex),
      arc(0, 0.1, m, between(rnd, 0.25, 0.45), 0.35, Math.PI - 0.35, 12),
    ]);
  },
};

/** Names of the kinds, in table order. */
export const JUNK_KINDS = Object.keys(JUNK_MAKERS);

/** A well-mixed 32-bit hash of a kind and a seed (so neighbouring seeds give unrelated drawings). */
function mix(kind: string, seed: number): number {
  let h = Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x85ebca6b;
  for (let i = 0; i < kind.length; i++) h = Math.imul(h ^ kind.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Drawing number `seed` of `kind`: the same strokes for the same pair, whatever else is drawn. */
export function junkDrawing(kind: string, seed: number): Stroke[] {
  const make = JUNK_MAKERS[kind];
  if (!make) throw new Error(`junk: no kind ${kind}`);
  return make(seededRandom(mix(kind, seed)));
}

/** `n` drawings of every kind, seeds `firstSeed` .. `firstSeed + n - 1`. */
export function junkSets(n: number, firstSeed = 0): Record<string, Stroke[][]> {
  return Object.fromEntries(JUNK_KINDS.map((kind) => [kind, Array.from({ length: n }, (_, i) => junkDrawing(kind, firstSeed + i))]));
}
