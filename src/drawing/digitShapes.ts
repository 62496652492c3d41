/**
 * How people write each digit, in a few numbers: for every class, the mean MNIST
 * training image and the top principal components of that class's images (the main
 * ways its writers differ: slant, width, loop size...). The distance from a drawing to
 * the predicted class's subspace says whether it looks like any way of writing that
 * digit: a cross the model calls "8" is far from every 8.
 *
 * The data (public/models/digit-shapes.json, ~140 KB) is made by
 * scripts/buildDigitShapes.ts; the functions here are pure.
 */
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import { fromBase64 } from '../shared/base64';

/** The file: per class, base64 uint8 mean (x 255) and base64 int8 components, each with its own scale. */
export interface DigitShapesFile {
  format: 'digit-shapes-1';
  /** Components per class. */
  components: number;
  /** Training images per class the components were computed from. */
  imagesPerClass: number;
  /** Which percentile of held-out training digits' distances `limit` is. */
  limitPercentile: number;
  classes: { mean: string; components: { scale: number; data: string }[]; limit: number }[];
}

/**
 * Decoded: per class, the mean [784], `components` orthonormal directions [784] each, and
 * the distance beyond which a drawing is unlike that digit (farther than 99.5% of
 * held-out training images of it).
 */
export interface DigitShapes {
  means: Float32Array[];
  components: Float32Array[][];
  limits: number[];
}

/** Decodes and checks a digit-shapes file; throws on anything malformed. */
export function decodeDigitShapes(file: DigitShapesFile): DigitShapes {
  if (file.format !== 'digit-shapes-1' || !Array.isArray(file.classes) || file.classes.length !== NUM_CLASSES)
    throw new Error('digit shapes: not a digit-shapes-1 file with 10 classes'); // i18n-ignore: a programming error, never shown
  const means: Float32Array[] = [];
  const components: Float32Array[][] = [];
  const limits: number[] = [];
  for (const c of file.classes) {
    if (typeof c.limit !== 'number' || !(c.limit >= 0)) throw new Error('digit shapes: a class without a limit'); // i18n-ignore: a programming error, never shown
    limits.push(c.limit);
    const m = fromBase64(c.mean) ?? new Uint8Array(0);
    if (m.length !== IMAGE_PIXELS) throw new Error(`digit shapes: mean of ${m.length} pixels`); // i18n-ignore: a programming error, never shown
    means.push(Float32Array.from(m, (v) => v / 255));
    components.push(
      c.components.map(({ scale, data }) => {
        const q = new Int8Array((fromBase64(data) ?? new Uint8Array(0)).buffer);
        if (q.length !== IMAGE_PIXELS) throw new Error(`digit shapes: component of ${q.length} pixels`); // i18n-ignore: a programming error, never shown
        return Float32Array.from(q, (v) => v * scale);
      }),
    );
  }
  return { means, components, limits };
}

/**
 * Distance (Euclidean, in pixel units 0..1) from `pixels` [784] to the subspace of
 * class `digit`: the part of (pixels - mean) its components do not explain.
 * MNIST test digits under their predicted class: median 3.9, 97th percentile 5.9.
 */
export function shapeDistance(shapes: DigitShapes, pixels: ArrayLike<number>, digit: number): number {
  const mean = shapes.means[digit];
  const comps = shapes.components[digit];
  if (!mean || !comps) throw new Error(`shapeDistance: no class ${digit}`); // i18n-ignore: a programming error, never shown
  const r = new Float32Array(IMAGE_PIXELS);
  for (let i = 0; i < IMAGE_PIXELS; i++) r[i] = (pixels[i] as number) - (mean[i] as number);
  for (const c of comps) {
    let a = 0;
    for (let i = 0; i < IMAGE_PIXELS; i++) a += (c[i] as number) * (r[i] as number);
    for (let i = 0; i < IMAGE_PIXELS; i++) r[i] = (r[i] as number) - a * (c[i] as number);
  }
  let s = 0;
  for (let i = 0; i < IMAGE_PIXELS; i++) s += (r[i] as number) ** 2;
  return Math.sqrt(s);
}

let loading: Promise<DigitShapes> | null = null;

/** Fetches and decodes public/models/digit-shapes.json once per page (a failed fetch may be retried). */
export function loadDigitShapes(url = 'models/digit-shapes.json'): Promise<DigitShapes> {
  loading ??= fetch(url)
    .then((r) => {
      if (!r.ok) throw new Error(`digit shapes: HTTP ${r.status}`); // i18n-ignore: a programming error, never shown
      return r.json() as Promise<DigitShapesFile>;
    })
    .then(decodeDigitShapes)
    .catch((e: unknown) => {
      loading = null;
      throw e;
    });
  return loading;
}
