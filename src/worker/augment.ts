/**
 * Data augmentation, generated on the fly while batches are assembled: each
 * training image is warped by one of a few hundred random affine maps (shift,
 * turn, scale, slant), and some are thickened or thinned by one pixel, then
 * normalised. Why maps made in advance: a warp is then one table lookup per
 * pixel (nearest neighbour), about as cheap as the copy it replaces, so the
 * training step costs a few percent more, not the ~40% of an interpolated
 * warp computed per image. The maps are redrawn every epoch, so the copies
 * never repeat. Pure JS on typed arrays: no tf.
 */
import { IMAGE_PIXELS, IMAGE_SIZE } from '../shared/constants';
import { mulberry32, type Normalizer, type Rng } from './split';

/** Random maps in use at a time (redrawn each epoch). */
export const MAP_COUNT = 256;

/** Largest changes at strength 1. */
export const AUGMENT_LIMITS = { shiftPx: 3, turnDeg: 15, scale: 0.15, shear: 0.3, strokeChange: 0.5 } as const;

const NEIGHBOURS = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [0, -1],
] as const;

/** Index standing for "outside the image" in a map: the blank pixel after the image in `warpInto`'s scratch copy. */
export const OUTSIDE = IMAGE_PIXELS;

/** One random warp: for each output pixel, the source pixel (OUTSIDE: blank), and how the stroke width changes. */
export interface WarpMap {
  source: Uint16Array;
  /** For a stroke-width change: the neighbour in the direction of the change, else null. */
  neighbour: Uint16Array | null;
  /** +1 thicken (max with the neighbour), -1 thin (min with it), 0 none. */
  stroke: -1 | 0 | 1;
}

/**
 * A random warp of strength `s` (0..1): out(x) = in(A⁻¹(x - c - t) + c), about the image centre c.
 * @returns source indices per output pixel, nearest neighbour.
 */
export function randomWarp(s: number, rng: Rng): WarpMap {
  const u = () => rng() * 2 - 1;
  const L = AUGMENT_LIMITS;
  const turn = (u() * L.turnDeg * s * Math.PI) / 180;
  const scale = 1 + u() * L.scale * s;
  const shear = u() * L.shear * s;
  const tx = u() * L.shiftPx * s;
  const ty = u() * L.shiftPx * s;
  // A = R(turn) · Shear · scale; its inverse maps output to input.
  const cos = Math.cos(turn);
  const sin = Math.sin(turn);
  const a = scale * cos;
  const b = scale * (cos * shear - sin);
  const c = scale * sin;
  const d = scale * (sin * shear + cos);
  const det = a * d - b * c;
  const ia = d / det;
  const ib = -b / det;
  const ic = -c / det;
  const id = a / det;
  const mid = (IMAGE_SIZE - 1) / 2;
  const map = (dx: number, dy: number): Uint16Array => {
    const out = new Uint16Array(IMAGE_PIXELS);
    for (let y = 0; y < IMAGE_SIZE; y++) {
      for (let x = 0; x < IMAGE_SIZE; x++) {
        const ox = x - mid - tx - dx;
        const oy = y - mid - ty - dy;
        const sx = Math.round(ia * ox + ib * oy + mid);
        const sy = Math.round(ic * ox + id * oy + mid);
        out[y * IMAGE_SIZE + x] = sx >= 0 && sx < IMAGE_SIZE && sy >= 0 && sy < IMAGE_SIZE ? sy * IMAGE_SIZE + sx : OUTSIDE;
      }
    }
    return out;
  };
  const change = rng() < L.strokeChange * s;
  const stroke: WarpMap['stroke'] = change ? (rng() < 0.5 ? 1 : -1) : 0;
  // Thicken/thin along one random direction by a pixel: max/min with the shifted image.
  const [ndx, ndy] = NEIGHBOURS[Math.floor(rng() * 4)]!;
  const neighbour = stroke ? map(ndx, ndy) : null;
  return { source: map(0, 0), neighbour, stroke };
}

/** The normaliser as x = pixel · scale - shift (one multiply-add per pixel). */
export interface LinearNorm {
  scale: Float32Array;
  shift: Float32Array;
}

export function linearNorm(norm: Normalizer): LinearNorm {
  return { scale: Float32Array.from(norm.invStd), shift: Float32Array.from(norm.mean, (m, j) => m * norm.invStd[j]!) };
}

/** The image and one blank pixel after it (index OUTSIDE), so the warp loop has no branch. */
const scratch = new Uint8Array(IMAGE_PIXELS + 1);

/**
 * Writes one warped, normalised image: out[j] = (warped pixel j - mean[j]) · invStd[j].
 * @param image bytes 0..255 holding the source image at `offset`; @param out floats, written at `outOffset`.
 */
export function warpInto(image: Uint8Array, offset: number, m: WarpMap, norm: LinearNorm, out: Float32Array, outOffset: number): void {
  const { source, neighbour, stroke } = m;
  const { scale, shift } = norm;
  scratch.set(image.subarray(offset, offset + IMAGE_PIXELS));
  if (!neighbour) {
    for (let j = 0; j < IMAGE_PIXELS; j++) out[outOffset + j] = scratch[source[j]!]! * scale[j]! - shift[j]!;
    return;
  }
  for (let j = 0; j < IMAGE_PIXELS; j++) {
    const v = scratch[source[j]!]!;
    const w = scratch[neighbour[j]!]!;
    out[outOffset + j] = (stroke > 0 ? (w > v ? w : v) : w < v ? w : v) * scale[j]! - shift[j]!;
  }
}

/**
 * Writes one warped image as bytes (no normalisation): out[j] = warped pixel j, for the training
 * kernel, which standardises inside its first layer.
 */
export function warpBytesInto(image: Uint8Array, offset: number, m: WarpMap, out: Uint8Array, outOffset: number): void {
  const { source, neighbour, stroke } = m;
  scratch.set(image.subarray(offset, offset + IMAGE_PIXELS));
  if (!neighbour) {
    for (let j = 0; j < IMAGE_PIXELS; j++) out[outOffset + j] = scratch[source[j]!]!;
    return;
  }
  for (let j = 0; j < IMAGE_PIXELS; j++) {
    const v = scratch[source[j]!]!;
    const w = scratch[neighbour[j]!]!;
    out[outOffset + j] = stroke > 0 ? (w > v ? w : v) : w < v ? w : v;
  }
}

/** Augmented batches for one run: the raw images of the training rows, their labels and the model's normaliser. */
export class BatchAugmenter {
  private readonly rng: Rng;
  private maps: WarpMap[] = [];
  private readonly lin: LinearNorm;

  /**
   * @param images the source images (bytes 0..255, [count * 784]); @param rows training row → source image;
   * @param labels source labels; @param strength 0..1 (config.augment).
   */
  constructor(
    private readonly images: Uint8Array,
    private readonly rows: Int32Array,
    private readonly labels: Uint8Array,
    norm: Normalizer,
    private readonly strength: number,
    seed: number,
  ) {
    this.rng = mulberry32(Math.imul(seed ^ 0x165667b1, 0x01000193));
    this.lin = linearNorm(norm);
    this.newEpoch();
  }

  /** Draws fresh maps (each epoch, so copies never repeat). */
  newEpoch(): void {
    this.maps = Array.from({ length: MAP_COUNT }, () => randomWarp(this.strength, this.rng));
  }

  /** Fills x [size * 784] and y [size] with augmented copies of training rows order[start .. start + size). */
  fill(order: Int32Array, start: number, size: number, x: Float32Array, y: Int32Array): void {
    for (let r = 0; r < size; r++) {
      const src = this.rows[order[start + r]!]!;
      const m = this.maps[Math.floor(this.rng() * MAP_COUNT)]!;
      warpInto(this.images, src * IMAGE_PIXELS, m, this.lin, x, r * IMAGE_PIXELS);
      y[r] = this.labels[src]!;
    }
  }

  /** As `fill`, with the warped images as bytes [size * 784] (the kernel's batch buffer), not normalised. */
  fillBytes(order: Int32Array, start: number, size: number, x: Uint8Array, y: Int32Array): void {
    for (let r = 0; r < size; r++) {
      const src = this.rows[order[start + r]!]!;
      const m = this.maps[Math.floor(this.rng() * MAP_COUNT)]!;
      warpBytesInto(this.images, src * IMAGE_PIXELS, m, x, r * IMAGE_PIXELS);
      y[r] = this.labels[src]!;
    }
  }
}
