/**
 * A small PNG decoder for the dataset sprites: 8-bit grayscale, not interlaced,
 * all five row filters. Inflate runs natively (DecompressionStream), so the
 * bytes come out exactly as written, with no colour management in between.
 * Pure: no DOM, no tf; runs in workers and in Node.
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface GrayImage {
  width: number;
  height: number;
  /** [height * width] bytes, row-major. */
  pixels: Uint8Array;
}

/** Thrown for a PNG this decoder cannot read; `message` says why. */
export class PngError extends Error {}

/** Largest image accepted, pixels: the largest sprite (16,384 digits of 784 pixels). Nothing bigger is allocated. */
export const MAX_PNG_PIXELS = 16_384 * 784;

/** Inflates `data`, refusing (without buffering it) anything beyond `limit` bytes: a decompression bomb stops there. */
async function inflate(data: Uint8Array, limit: number): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate'));
  const reader = stream.getReader();
  const out = new Uint8Array(limit);
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out.subarray(0, got);
    if (got + value.length > limit) {
      await reader.cancel().catch(() => {});
      throw new PngError(`PNG holds more image data than its ${limit}-byte header allows`);
    }
    out.set(value, got);
    got += value.length;
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the per-row filters of 1-byte-per-pixel scanlines into `out`. */
export function unfilterGray(raw: Uint8Array, width: number, height: number, out: Uint8Array): void {
  const stride = width + 1;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * stride];
    const src = y * stride + 1;
    const dst = y * width;
    const prev = dst - width; // previous output row (only read when y > 0)
    switch (filter) {
      case 0:
        out.set(raw.subarray(src, src + width), dst);
        break;
      case 1:
        for (let x = 0; x < width; x++) out[dst + x] = (raw[src + x]! + (x > 0 ? out[dst + x - 1]! : 0)) & 255;
        break;
      case 2:
        for (let x = 0; x < width; x++) out[dst + x] = (raw[src + x]! + (y > 0 ? out[prev + x]! : 0)) & 255;
        break;
      case 3:
        for (let x = 0; x < width; x++) {
          const left = x > 0 ? out[dst + x - 1]! : 0;
          const up = y > 0 ? out[prev + x]! : 0;
          out[dst + x] = (raw[src + x]! + ((left + up) >> 1)) & 255;
        }
        break;
      case 4:
        for (let x = 0; x < width; x++) {
          const left = x > 0 ? out[dst + x - 1]! : 0;
          const up = y > 0 ? out[prev + x]! : 0;
          const upLeft = x > 0 && y > 0 ? out[prev + x - 1]! : 0;
          out[dst + x] = (raw[src + x]! + paeth(left, up, upLeft)) & 255;
        }
        break;
      default:
        throw new PngError(`unknown PNG row filter ${String(filter)} in row ${y}`);
    }
  }
}

/** Decodes an 8-bit grayscale PNG. @throws PngError when the file is not one or is damaged. */
export async function decodeGrayPng(bytes: Uint8Array): Promise<GrayImage> {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new PngError('not a PNG file (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  let idatBytes = 0;
  let ended = false;
  while (pos + 8 <= bytes.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    const body = pos + 8;
    if (body + len + 4 > bytes.length) throw new PngError(`PNG chunk ${type} runs past the end of the file (truncated)`);
    if (type === 'IHDR') {
      if (len !== 13) throw new PngError(`PNG header chunk has ${len} bytes, expected 13`);
      width = view.getUint32(body);
      height = view.getUint32(body + 4);
      const depth = bytes[body + 8];
      const colour = bytes[body + 9];
      const interlace = bytes[body + 12];
      if (depth !== 8 || colour !== 0 || interlace !== 0) {
        throw new PngError(
          `unsupported PNG (bit depth ${String(depth)}, colour type ${String(colour)}, interlace ${String(interlace)}); expected 8-bit grayscale`,
        );
      }
    } else if (type === 'IDAT') {
      idat.push(bytes.subarray(body, body + len));
      idatBytes += len;
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
    pos = body + len + 4;
  }
  if (!width || !height) throw new PngError('PNG has no IHDR chunk');
  if (!ended) throw new PngError('PNG has no IEND chunk (truncated)');
  if (width * height > MAX_PNG_PIXELS) throw new PngError(`PNG of ${width}x${height} pixels is too large (at most ${MAX_PNG_PIXELS})`);
  const compressed = new Uint8Array(idatBytes);
  let off = 0;
  for (const part of idat) {
    compressed.set(part, off);
    off += part.length;
  }
  let raw: Uint8Array;
  try {
    raw = await inflate(compressed, (width + 1) * height);
  } catch (e) {
    if (e instanceof PngError) throw e;
    throw new PngError(`PNG image data is corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
  if (raw.length !== (width + 1) * height) {
    throw new PngError(`PNG image data has ${raw.length} bytes, expected ${(width + 1) * height}`);
  }
  const pixels = new Uint8Array(width * height);
  unfilterGray(raw, width, height, pixels);
  return { width, height, pixels };
}
