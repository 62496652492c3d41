/** Grayscale digits as pictures. Pure: builds RGBA bytes for ImageData. */
import { IMAGE_PIXELS } from './constants';

/**
 * Opaque RGBA bytes ([784 * 4]) of a 28x28 grayscale digit.
 * @param pixels [784] grey levels, white ink on black
 * @param max the value that maps to white: 255 for bytes, 1 for 0..1 floats
 */
export function grayToRgba(pixels: ArrayLike<number>, max: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(IMAGE_PIXELS * 4);
  const k = 255 / max;
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    const v = Math.round((pixels[i] ?? 0) * k);
    out[i * 4] = v;
    out[i * 4 + 1] = v;
    out[i * 4 + 2] = v;
    out[i * 4 + 3] = 255;
  }
  return out;
}
