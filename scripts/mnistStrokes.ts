/**
 * MNIST digits as pen strokes, for measuring the drawing pad on real handwriting:
 * a test digit is upscaled, thresholded and thinned to a one-pixel skeleton
 * (Zhang & Suen, 1984), and every pair of neighbouring skeleton pixels becomes a
 * two-point stroke (round caps make their union the skeleton drawn with a round pen).
 * Then the strokes can be placed anywhere on the pad at any size, with the pointer's
 * resolution (whole CSS pixels) applied as a browser would.
 */
import type { Stroke, StrokePoint } from '../src/drawing/strokes';

/** Upscaling factor before thinning: the skeleton follows the stroke to a quarter of an MNIST pixel. */
export const SKELETON_SCALE = 4;

/** A binary image: data[y * width + x] is 1 for foreground. */
export interface BinaryImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Bilinear upscale by `k` (pixel centres aligned, 0 outside) of a size x size image 0..1, thresholded at `threshold`. */
export function upscaleThreshold(pixels: ArrayLike<number>, size: number, k: number, threshold: number): BinaryImage {
  const side = size * k;
  const data = new Uint8Array(side * side);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= size || y >= size ? 0 : (pixels[y * size + x] as number));
  for (let Y = 0; Y < side; Y++) {
    const sy = (Y + 0.5) / k - 0.5;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let X = 0; X < side; X++) {
      const sx = (X + 0.5) / k - 0.5;
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const v = (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
      data[Y * side + X] = v >= threshold ? 1 : 0;
    }
  }
  return { width: side, height: side, data };
}

/** Zhang-Suen thinning, in place: foreground shrinks to an 8-connected line one pixel wide. */
export function thin(img: BinaryImage): BinaryImage {
  const { width: w, height: h, data } = img;
  const px = (x: number, y: number) => (x < 0 || y < 0 || x >= w || y >= h ? 0 : (data[y * w + x] as number));
  const remove: number[] = [];
  for (let changed = true; changed;) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      remove.length = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          if (!data[y * w + x]) continue;
          // Neighbours P2..P9 clockwise from north.
          const n = [
            px(x, y - 1),
            px(x + 1, y - 1),
            px(x + 1, y),
            px(x + 1, y + 1),
            px(x, y + 1),
            px(x - 1, y + 1),
            px(x - 1, y),
            px(x - 1, y - 1),
          ];
          const b = n.reduce((s, v) => s + v, 0);
          if (b < 2 || b > 6) continue;
          let a = 0;
          for (let i = 0; i < 8; i++) if (n[i] === 0 && n[(i + 1) % 8] === 1) a++;
          if (a !== 1) continue;
          const [p2, , p4, , p6, , p8] = n as [number, number, number, number, number, number, number, number];
          if (pass === 0 ? p2 * p4 * p6 !== 0 || p4 * p6 * p8 !== 0 : p2 * p4 * p8 !== 0 || p2 * p6 * p8 !== 0) continue;
          remove.push(y * w + x);
        }
      }
      for (const i of remove) data[i] = 0;
      if (remove.length > 0) changed = true;
    }
  }
  return img;
}

/**
 * The skeleton's edges as two-point strokes in the source image's pixel units
 * (continuous: pixel x's centre is x + 0.5): every foreground pixel joined to its
 * east, south, south-east and south-west neighbours (a diagonal only where no
 * two-step orthogonal path exists, so a staircase is not counted twice); a pixel
 * with no neighbour is a one-point stroke.
 */
export function skeletonStrokes(skel: BinaryImage, k: number): Stroke[] {
  const { width: w, height: h, data } = skel;
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && data[y * w + x] === 1;
  const pt = (x: number, y: number): StrokePoint => ({ x: (x + 0.5) / k, y: (y + 0.5) / k });
  const strokes: Stroke[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!on(x, y)) continue;
      let linked = false;
      const link = (x2: number, y2: number) => {
        strokes.push([pt(x, y), pt(x2, y2)]);
        linked = true;
      };
      if (on(x + 1, y)) link(x + 1, y);
      if (on(x, y + 1)) link(x, y + 1);
      if (on(x + 1, y + 1) && !on(x + 1, y) && !on(x, y + 1)) link(x + 1, y + 1);
      if (on(x - 1, y + 1) && !on(x - 1, y) && !on(x, y + 1)) link(x - 1, y + 1);
      const hasUpper = on(x - 1, y) || on(x, y - 1) || on(x - 1, y - 1) || on(x + 1, y - 1);
      if (!linked && !hasUpper) strokes.push([pt(x, y)]);
    }
  }
  return strokes;
}

/** Total length of the strokes' segments (units of their points). */
export function strokeLength(strokes: readonly Stroke[]): number {
  let len = 0;
  for (const s of strokes)
    for (let i = 1; i < s.length; i++)
      len += Math.hypot((s[i] as StrokePoint).x - (s[i - 1] as StrokePoint).x, (s[i] as StrokePoint).y - (s[i - 1] as StrokePoint).y);
  return len;
}

/** An MNIST digit (28x28 bytes 0..255 or values 0..1 via `scale`) as skeleton strokes in 28-px units. */
export function mnistToStrokes(pixels: ArrayLike<number>, valueScale = 1 / 255, threshold = 0.4): Stroke[] {
  const unit = Float32Array.from({ length: 784 }, (_, i) => (pixels[i] as number) * valueScale);
  return skeletonStrokes(thin(upscaleThreshold(unit, 28, SKELETON_SCALE, threshold)), SKELETON_SCALE);
}

/**
 * Places strokes on the pad: scaled so the longer side of their extent is `size`
 * (fraction of the pad), centred at (cx, cy) (fractions of the pad), points rounded to
 * the pad's CSS-pixel grid (`padPx` px across, as pointer events report them) and
 * consecutive duplicates dropped.
 */
export function placeStrokes(strokes: readonly Stroke[], size: number, cx: number, cy: number, padPx: number): Stroke[] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const s of strokes)
    for (const p of s) {
      x0 = Math.min(x0, p.x);
      x1 = Math.max(x1, p.x);
      y0 = Math.min(y0, p.y);
      y1 = Math.max(y1, p.y);
    }
  const side = Math.max(x1 - x0, y1 - y0) || 1;
  const k = size / side;
  const mx = (x0 + x1) / 2;
  const my = (y0 + y1) / 2;
  const q = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * padPx) / padPx;
  return strokes.map((s) => {
    const out: Stroke = [];
    for (const p of s) {
      const np = { x: q(cx + (p.x - mx) * k), y: q(cy + (p.y - my) * k) };
      const last = out[out.length - 1];
      if (!last || last.x !== np.x || last.y !== np.y) out.push(np);
    }
    return out;
  });
}
