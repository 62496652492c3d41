/**
 * Seeded randomness, the 80/20 train/validation split and the per-pixel
 * normalisation. Pure functions on typed arrays: no tf, no DOM.
 */
import { IMAGE_PIXELS } from '../shared/constants';
import { validationSizeFor, type Normalization } from '../shared/trainConfig';

/** A seeded PRNG returning floats in [0, 1). */
export type Rng = () => number;

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same stream everywhere. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Derives an independent stream for one purpose (split, init, shuffles, dropout)
 * so that, e.g., changing the epoch count never changes the split.
 */
export function rngFor(seed: number, purpose: 'split' | 'init' | 'shuffle' | 'dropout'): Rng {
  const salt = { split: 0x9e3779b9, init: 0x85ebca6b, shuffle: 0xc2b2ae35, dropout: 0x27d4eb2f }[purpose];
  return mulberry32(Math.imul(seed ^ salt, 0x01000193) ^ (seed >>> 3));
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace(a: Int32Array, rng: Rng): Int32Array {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** 0, 1, ..., n-1 in a seeded random order. */
export function permutation(n: number, rng: Rng): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return shuffleInPlace(a, rng);
}

/** Indices into the MNIST training file used for training and validation. */
export interface SplitIndices {
  /** [trainSize] image indices used for training. */
  train: Int32Array;
  /** [validationSizeFor(trainSize)] image indices held out for validation. */
  validation: Int32Array;
}

/**
 * The seeded 80/20 split of the training file: a shuffle of all `count` images,
 * the first 80% is the training part, the rest the held-out part. `trainSize`
 * takes that many of the training part, validation a quarter as many of the held-out part.
 */
export function splitIndices(count: number, trainSize: number, seed: number): SplitIndices {
  const order = permutation(count, rngFor(seed, 'split'));
  const trainPart = Math.round(count * 0.8);
  const nTrain = Math.min(trainSize, trainPart);
  const nVal = Math.min(validationSizeFor(nTrain), count - trainPart);
  return { train: order.slice(0, nTrain), validation: order.slice(trainPart, trainPart + nVal) };
}

/** Per-pixel affine map to the model's input: x = (pixel - mean) * invStd, pixel in 0..255. */
export interface Normalizer {
  /** [784] mean pixel value (0..255 scale). */
  mean: Float32Array;
  /** [784] 1 / standard deviation (1 where the pixel never varies, as StandardScaler). */
  invStd: Float32Array;
}

/**
 * Fits the normalisation on the given images only (the training part).
 * 'standardize': per-pixel mean and population standard deviation; 'unit': x / 255.
 */
export function fitNormalizer(images: Uint8Array, indices: Int32Array, mode: Normalization): Normalizer {
  const mean = new Float32Array(IMAGE_PIXELS);
  const invStd = new Float32Array(IMAGE_PIXELS);
  if (mode === 'unit') {
    invStd.fill(1 / 255);
    return { mean, invStd };
  }
  const sum = new Float64Array(IMAGE_PIXELS);
  const sumSq = new Float64Array(IMAGE_PIXELS);
  for (const i of indices) {
    const row = images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
    for (let j = 0; j < IMAGE_PIXELS; j++) {
      const v = row[j]!;
      sum[j]! += v;
      sumSq[j]! += v * v;
    }
  }
  const n = Math.max(1, indices.length);
  for (let j = 0; j < IMAGE_PIXELS; j++) {
    const m = sum[j]! / n;
    const variance = Math.max(0, sumSq[j]! / n - m * m);
    const std = Math.sqrt(variance);
    mean[j] = m;
    // StandardScaler divides by 1 where the variance is (numerically) zero.
    invStd[j] = std < 1e-8 * Math.max(1, Math.abs(m)) ? 1 : 1 / std;
  }
  return { mean, invStd };
}

/**
 * Normalises the chosen images into one float32 array.
 * @returns [indices.length * 784] model inputs.
 */
export function normalizeRows(images: Uint8Array, indices: ArrayLike<number>, norm: Normalizer): Float32Array {
  const out = new Float32Array(indices.length * IMAGE_PIXELS);
  const { mean, invStd } = norm;
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r]! * IMAGE_PIXELS;
    const dst = r * IMAGE_PIXELS;
    for (let j = 0; j < IMAGE_PIXELS; j++) out[dst + j] = (images[src + j]! - mean[j]!) * invStd[j]!;
  }
  return out;
}

/** Normalises one input given as 0..1 pixels (the drawing canvas, predict requests). */
export function normalizeUnitPixels(pixels: Float32Array, norm: Normalizer): Float32Array {
  const out = new Float32Array(IMAGE_PIXELS);
  for (let j = 0; j < IMAGE_PIXELS; j++) out[j] = (pixels[j]! * 255 - norm.mean[j]!) * norm.invStd[j]!;
  return out;
}
