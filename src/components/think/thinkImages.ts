/**
 * The pictures of "see it think", as pure functions over arrays (tested in Node):
 * the saliency overlay and how brightly each unit is lit.
 */
import { IMAGE_PIXELS } from '../../shared/constants';

/** Saliency colours: towards the predicted digit (green), against it (red). */
export const TOWARDS_RGB: readonly [number, number, number] = [52, 211, 153];
export const AGAINST_RGB: readonly [number, number, number] = [248, 113, 113];

/**
 * Each pixel's push on the predicted digit: gradient × ink (a first-order estimate of how
 * much log p(predicted) would drop without that pixel's ink).
 * @param gradient [784] d log p / d pixel; @param pixels [784] 0..1.
 */
export function pixelPush(gradient: ArrayLike<number>, pixels: ArrayLike<number>): Float32Array {
  const out = new Float32Array(IMAGE_PIXELS);
  for (let i = 0; i < IMAGE_PIXELS; i++) out[i] = gradient[i]! * pixels[i]!;
  return out;
}

/**
 * RGBA (784 * 4) of the input in dim grey with each pixel's push on top: green
 * towards the predicted digit, red against, opacity in proportion to |push| / the largest.
 */
export function saliencyRgba(push: ArrayLike<number>, pixels: ArrayLike<number>): Uint8ClampedArray<ArrayBuffer> {
  let max = 0;
  for (let i = 0; i < IMAGE_PIXELS; i++) max = Math.max(max, Math.abs(push[i]!));
  const inv = max > 0 ? 1 / max : 0;
  const out = new Uint8ClampedArray(IMAGE_PIXELS * 4);
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    const grey = 40 + pixels[i]! * 70;
    const s = push[i]! * inv;
    const a = Math.min(1, Math.sqrt(Math.abs(s))); // sqrt: small pushes stay visible
    const c = s >= 0 ? TOWARDS_RGB : AGAINST_RGB;
    out[i * 4] = grey + (c[0] - grey) * a;
    out[i * 4 + 1] = grey + (c[1] - grey) * a;
    out[i * 4 + 2] = grey + (c[2] - grey) * a;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** Activations scaled to 0..1 by the layer's largest (all 0 when none is positive). */
export function litLevels(activations: ArrayLike<number>): Float32Array {
  let max = 0;
  for (let i = 0; i < activations.length; i++) max = Math.max(max, activations[i]!);
  const out = new Float32Array(activations.length);
  if (max <= 0) return out;
  for (let i = 0; i < activations.length; i++) out[i] = Math.max(0, activations[i]!) / max;
  return out;
}

/** Share (0..1) of the push that goes towards the predicted digit. */
export function towardsShare(push: ArrayLike<number>): number {
  let pos = 0;
  let all = 0;
  for (let i = 0; i < push.length; i++) {
    const v = push[i]!;
    if (v > 0) pos += v;
    all += Math.abs(v);
  }
  return all > 0 ? pos / all : 0;
}
