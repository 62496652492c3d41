/**
 * Turns a drawing into the input the model was trained on, the way MNIST was made
 * (LeCun et al.): the digit's bounding box is scaled, aspect ratio kept, so that its
 * longer side is 20 px, with anti-aliasing (here: an exact area-average / box filter),
 * then placed in a 28x28 field so that its centre of mass sits at the field's centre.
 *
 * Pure functions, no DOM: they run on the main thread today (well under 2 ms for a
 * 280x280 input) and could move to the worker unchanged.
 *
 * Coordinates: pixel (x, y) covers the continuous square [x, x+1) x [y, y+1); an
 * "index" centre of mass is sum(x * v) / sum(v), so pixel x's centre is x + 0.5 in
 * continuous units. MNIST's own digits have their index centre of mass at (14, 14)
 * on average (measured on the 10,000 test digits: 14.008, 13.993), so that is where
 * {@link preprocessInk} puts it (continuous 14.5, 14.5).
 */
import { IMAGE_PIXELS, IMAGE_SIZE } from '../shared/constants';

/** Side of the box MNIST size-normalised each digit into, px. */
export const MNIST_BOX = 20;
/** Index centre of mass of an MNIST digit (x and y), px. */
export const MNIST_CENTRE = 14;

/** A grayscale ink image: `data` is [height * width], row-major, 0 (no ink) .. 1 (full ink). */
export interface InkImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** A pixel rectangle: x0, y0 inclusive; x1, y1 exclusive. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Which channel of RGBA pixels is ink: `alpha` (strokes drawn on a transparent
 * canvas), `luminance` (light ink on a dark background, like MNIST) or `darkness`
 * (dark ink on paper).
 */
export type InkSource = 'alpha' | 'luminance' | 'darkness';

export interface PreprocessOptions {
  /** Ink (0..1) a pixel needs to count for the bounding box. Default 0.1. */
  threshold?: number;
  /**
   * Less total ink than this, in pixels of full ink per pixel of input area, means
   * "nothing drawn" (null). Default 2e-4 (about 16 px of ink on a 280x280 input).
   */
  minInkFraction?: number;
  /**
   * `subpixel` (default): shift by the exact fractional offset, so the index centre
   * of mass lands on (14, 14) within a few hundredths of a pixel; the shift is part of
   * the one area-average resampling, so it adds no extra blur.
   * `integer`: like the original MNIST, keep the scaled digit's box on the pixel grid
   * and shift by whole pixels, so the centre of mass lands within 0.5 px of (14, 14).
   */
  centring?: 'subpixel' | 'integer';
}

/** Converts RGBA bytes [height * width * 4] (e.g. canvas ImageData) to ink 0..1. */
export function inkFromRgba(rgba: ArrayLike<number>, width: number, height: number, source: InkSource = 'alpha'): InkImage {
  const n = width * height;
  if (rgba.length < n * 4) throw new Error(`inkFromRgba: ${rgba.length} bytes for ${width}x${height} RGBA`); // i18n-ignore: a programming error, never shown
  const data = new Float32Array(n);
  const k = 1 / 255;
  if (source === 'alpha') {
    for (let i = 0; i < n; i++) data[i] = (rgba[i * 4 + 3] as number) * k;
  } else {
    for (let i = 0; i < n; i++) {
      const j = i * 4;
      // Rec. 601 luma, premultiplied by alpha (a transparent pixel is background).
      const luma = (0.299 * (rgba[j] as number) + 0.587 * (rgba[j + 1] as number) + 0.114 * (rgba[j + 2] as number)) * k;
      const a = (rgba[j + 3] as number) * k;
      data[i] = source === 'luminance' ? luma * a : (1 - luma) * a;
    }
  }
  return { width, height, data };
}

/** The smallest box holding every pixel with ink > `threshold`, or null when there is none. */
export function inkBoundingBox(img: InkImage, threshold = 0.1): PixelBox | null {
  const { width, height, data } = img;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    for (let x = 0; x < width; x++) {
      if ((data[row + x] as number) > threshold) {
        first = x;
        break;
      }
    }
    if (first < 0) continue;
    let last = first;
    for (let x = width - 1; x > first; x--) {
      if ((data[row + x] as number) > threshold) {
        last = x;
        break;
      }
    }
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
    if (y < y0) y0 = y;
    y1 = y;
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** Index centre of mass (sum(x * v) / sum(v)) of the pixels inside `box` (default: all), and their total ink. */
export function centreOfMass(img: InkImage, box?: PixelBox): { x: number; y: number; mass: number } {
  const { width, data } = img;
  const b = box ?? { x0: 0, y0: 0, x1: width, y1: img.height };
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = b.y0; y < b.y1; y++) {
    const row = y * width;
    let rowMass = 0;
    for (let x = b.x0; x < b.x1; x++) {
      const v = data[row + x] as number;
      rowMass += v;
      mx += v * x;
    }
    mass += rowMass;
    my += rowMass * y;
  }
  return mass > 0 ? { x: mx / mass, y: my / mass, mass } : { x: NaN, y: NaN, mass: 0 };
}

/**
 * Box-filter weights mapping source pixels [0, n) onto `out` output pixels, where
 * source continuous coordinate s lands at output coordinate offset + s * scale.
 * Output pixel u averages the source over its footprint: weight = overlap length
 * (in source units) times `scale`, so the weights of a fully covered pixel sum to 1.
 */
function boxWeights(
  n: number,
  scale: number,
  offset: number,
  out: number,
): { start: Int32Array; count: Int32Array; w: Float32Array; stride: number } {
  const stride = Math.ceil(1 / scale) + 2;
  const start = new Int32Array(out);
  const count = new Int32Array(out);
  const w = new Float32Array(out * stride);
  for (let u = 0; u < out; u++) {
    // Footprint of output pixel u in source coordinates.
    const a = Math.max(0, (u - offset) / scale);
    const b = Math.min(n, (u + 1 - offset) / scale);
    if (b <= a) continue;
    const first = Math.floor(a);
    const last = Math.min(n - 1, Math.ceil(b) - 1);
    start[u] = first;
    count[u] = last - first + 1;
    for (let s = first; s <= last; s++) {
      const overlap = Math.min(b, s + 1) - Math.max(a, s);
      w[u * stride + (s - first)] = overlap > 0 ? overlap * scale : 0;
    }
  }
  return { start, count, w, stride };
}

/**
 * Area-average resampling of the part of `img` inside `box` into an outW x outH image:
 * source point (x, y) (continuous, relative to the box's corner) lands at output
 * point (tx + x * scale, ty + y * scale). Everything outside the box, or landing
 * outside the output, is dropped. Exact fractional coverage, separable, O(box area).
 */
export function resampleAreaAverage(
  img: InkImage,
  box: PixelBox,
  scale: number,
  tx: number,
  ty: number,
  outW: number,
  outH: number,
): Float32Array {
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const wx = boxWeights(bw, scale, tx, outW);
  const wy = boxWeights(bh, scale, ty, outH);
  // Horizontal pass: every box row -> outW columns.
  const tmp = new Float32Array(bh * outW);
  const { data, width } = img;
  for (let y = 0; y < bh; y++) {
    const row = (box.y0 + y) * width + box.x0;
    for (let u = 0; u < outW; u++) {
      const c = wx.count[u] as number;
      if (c === 0) continue;
      const s0 = row + (wx.start[u] as number);
      const w0 = u * wx.stride;
      let acc = 0;
      for (let k = 0; k < c; k++) acc += (data[s0 + k] as number) * (wx.w[w0 + k] as number);
      tmp[y * outW + u] = acc;
    }
  }
  // Vertical pass.
  const out = new Float32Array(outW * outH);
  for (let v = 0; v < outH; v++) {
    const c = wy.count[v] as number;
    if (c === 0) continue;
    const y0 = wy.start[v] as number;
    const w0 = v * wy.stride;
    for (let k = 0; k < c; k++) {
      const wk = wy.w[w0 + k] as number;
      if (wk === 0) continue;
      const trow = (y0 + k) * outW;
      for (let u = 0; u < outW; u++) out[v * outW + u] = (out[v * outW + u] as number) + wk * (tmp[trow + u] as number);
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i] as number));
  return out;
}

/**
 * MNIST normalisation of an ink image: crop to the ink's bounding box, scale its
 * longer side to 20 px (area average, aspect ratio kept), and place it in 28x28 with
 * its index centre of mass at (14, 14).
 * @returns [784] pixels 0..1, white ink on black, row-major; null when (nearly) nothing is drawn.
 */
export function preprocessInk(img: InkImage, options: PreprocessOptions = {}): Float32Array | null {
  const { threshold = 0.1, minInkFraction = 2e-4, centring = 'subpixel' } = options;
  const box = inkBoundingBox(img, threshold);
  if (!box) return null;
  const com = centreOfMass(img, box);
  if (com.mass < minInkFraction * img.width * img.height) return null;

  const scale = MNIST_BOX / Math.max(box.x1 - box.x0, box.y1 - box.y0);
  // Continuous centre of mass relative to the box corner, in output pixels.
  const relX = (com.x + 0.5 - box.x0) * scale;
  const relY = (com.y + 0.5 - box.y0) * scale;
  // Index centre MNIST_CENTRE is continuous MNIST_CENTRE + 0.5.
  let tx = MNIST_CENTRE + 0.5 - relX;
  let ty = MNIST_CENTRE + 0.5 - relY;
  if (centring === 'integer') {
    tx = Math.round(tx);
    ty = Math.round(ty);
    return resampleAreaAverage(img, box, scale, tx, ty, IMAGE_SIZE, IMAGE_SIZE);
  }
  let out = resampleAreaAverage(img, box, scale, tx, ty, IMAGE_SIZE, IMAGE_SIZE);
  // Pixel-grid rounding (and clipping at the border) moves the discrete centre of
  // mass a little; one correction brings it to within a few hundredths of a pixel.
  const got = centreOfMass({ width: IMAGE_SIZE, height: IMAGE_SIZE, data: out });
  if (got.mass > 0) {
    const dx = MNIST_CENTRE - got.x;
    const dy = MNIST_CENTRE - got.y;
    if (Math.abs(dx) > 0.01 || Math.abs(dy) > 0.01) {
      tx += dx;
      ty += dy;
      out = resampleAreaAverage(img, box, scale, tx, ty, IMAGE_SIZE, IMAGE_SIZE);
    }
  }
  return out.length === IMAGE_PIXELS ? out : null;
}

/** {@link preprocessInk} on RGBA bytes (e.g. `ctx.getImageData(...).data`). */
export function preprocessRgba(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  source: InkSource = 'alpha',
  options?: PreprocessOptions,
): Float32Array | null {
  return preprocessInk(inkFromRgba(rgba, width, height, source), options);
}
