/**
 * Fuzzing the sprite decoder (fast-check): random bytes, valid PNGs mutated byte by byte, cut short,
 * with chunk lengths and image sizes rewritten, and a decompression bomb. Every input either decodes
 * to a well-formed image or is refused with a PngError and a message; never another exception, never
 * more than MAX_PNG_PIXELS pixels allocated, never a hang (each decode is timed).
 */
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutatedBytes, quickAsync } from '../../scripts/fuzz';
import { encodeGrayPng } from '../../scripts/idx.mjs';
import { decodeGrayPng, MAX_PNG_PIXELS, PngError } from './png';

/** The outcome of one decode: an image that is what it says, or a PngError with a message. */
async function decodeOrRefuse(bytes: Uint8Array): Promise<'image' | 'refused'> {
  try {
    const img = await quickAsync(() => decodeGrayPng(bytes));
    expect(img.pixels).toBeInstanceOf(Uint8Array);
    expect(img.pixels.length).toBe(img.width * img.height);
    expect(img.width * img.height).toBeLessThanOrEqual(MAX_PNG_PIXELS);
    return 'image';
  } catch (e) {
    if (!(e instanceof PngError)) throw new Error(`not a PngError: ${String(e)}`, { cause: e });
    expect(e.message.length).toBeGreaterThan(10);
    return 'refused';
  }
}

const validPng = fc.record({ width: fc.integer({ min: 1, max: 40 }), height: fc.integer({ min: 1, max: 12 }), seed: fc.integer() }).map(
  ({ width, height, seed }) =>
    new Uint8Array(
      encodeGrayPng(
        new Uint8Array(width * height).map((_, i) => (i * 31 + seed) & 255),
        width,
        height,
      ),
    ),
);

/** A valid PNG with bytes overwritten, inserted or deleted, cut short, or a 32-bit field (the IHDR chunk's length, the width, the height) rewritten. */
const mutatedPng = mutatedBytes(validPng, { fields: [8, 16, 20], maxEdits: 6 });

describe('the PNG sprite decoder, fuzzed', () => {
  it('decodes what the encoder writes (500 random images)', async () => {
    await fc.assert(
      fc.asyncProperty(validPng, async (png) => {
        expect(await decodeOrRefuse(png)).toBe('image');
      }),
      { numRuns: 500 },
    );
  });

  it('refuses random bytes, with or without a PNG signature, with a PngError (3,000 inputs)', async () => {
    const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.boolean(), async (bytes, signed) => {
        await decodeOrRefuse(signed ? Uint8Array.from([...signature, ...bytes]) : bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes or refuses every mutated, truncated or resized PNG (5,000 inputs)', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedPng, async (png) => {
        await decodeOrRefuse(png);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses a decompression bomb and an image larger than any sprite before allocating it', async () => {
    const chunk = (type: string, body: Uint8Array) => {
      const out = new Uint8Array(12 + body.length);
      const v = new DataView(out.buffer);
      v.setUint32(0, body.length);
      out.set(
        [...type].map((c) => c.charCodeAt(0)),
        4,
      );
      out.set(body, 8);
      return out; // CRC left 0: the decoder does not check it
    };
    const ihdr = (w: number, h: number) => {
      const b = new Uint8Array(13);
      new DataView(b.buffer).setUint32(0, w);
      new DataView(b.buffer).setUint32(4, h);
      b[8] = 8;
      return b;
    };
    const png = (w: number, h: number, idat: Uint8Array) =>
      Uint8Array.from([
        0x89,
        0x50,
        0x4e,
        0x47,
        0x0d,
        0x0a,
        0x1a,
        0x0a,
        ...chunk('IHDR', ihdr(w, h)),
        ...chunk('IDAT', idat),
        ...chunk('IEND', new Uint8Array()),
      ]);
    // 200 MB of zeros deflate to ~200 KB; the header claims a 10x10 image.
    const bomb = new Uint8Array(deflateSync(Buffer.alloc(200_000_000)));
    await expect(decodeGrayPng(png(10, 10, bomb))).rejects.toThrow(PngError);
    await expect(decodeGrayPng(png(10, 10, bomb))).rejects.toThrow(/more image data than/);
    await expect(decodeGrayPng(png(65535, 65535, bomb))).rejects.toThrow(/too large/);
  });
});
