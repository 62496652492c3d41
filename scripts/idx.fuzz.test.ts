/**
 * Fuzzing the IDX parsers the data script reads MNIST with (fast-check): random bytes, with or without
 * the right magic number, and small valid files mutated (bytes overwritten, inserted, deleted, cut
 * short; the magic, the count, the rows and the columns rewritten), inside a larger buffer at a random
 * offset (as Node's pooled Buffers are). Each either parses to what its header says (28x28 images,
 * count x 784 pixels read from the right place, labels 0..9) or is refused with an IdxError naming
 * the file; never another exception, never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutatedBytes, quick } from './fuzz';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, IdxError, parseIdxImages, parseIdxLabels } from './idx.mjs';

const NAME = 'fuzzed.idx';

function imagesFile(count: number, seed: number): Uint8Array {
  const b = Buffer.alloc(16 + count * 784);
  b.writeUInt32BE(IDX_IMAGES_MAGIC, 0);
  b.writeUInt32BE(count, 4);
  b.writeUInt32BE(28, 8);
  b.writeUInt32BE(28, 12);
  for (let i = 16; i < b.length; i++) b[i] = (i * 7 + seed) & 255;
  return new Uint8Array(b);
}

function labelsFile(count: number, seed: number): Uint8Array {
  const b = Buffer.alloc(8 + count);
  b.writeUInt32BE(IDX_LABELS_MAGIC, 0);
  b.writeUInt32BE(count, 4);
  for (let i = 8; i < b.length; i++) b[i] = (i + seed) % 10;
  return new Uint8Array(b);
}

/** `bytes` as a Buffer view at `offset` into a larger buffer (the parser must read from its own start). */
function atOffset(bytes: Uint8Array, offset: number): Buffer {
  const pool = Buffer.alloc(offset + bytes.length + 16, 0xee);
  pool.set(bytes, offset);
  return pool.subarray(offset, offset + bytes.length);
}

function parsesOrRefuses<T>(parse: () => T, check: (r: T) => void): 'parsed' | 'refused' {
  let r: T;
  try {
    r = quick(parse);
  } catch (e) {
    if (!(e instanceof IdxError)) throw new Error(`not an IdxError: ${String(e)}`, { cause: e });
    if (!e.message.startsWith(`${NAME}: `) || e.message.length > 200) throw new Error(`a reason that does not name the file: ${e.message}`);
    return 'refused';
  }
  check(r);
  return 'parsed';
}

function imagesOrRefused(buf: Buffer): 'parsed' | 'refused' {
  return parsesOrRefuses(
    () => parseIdxImages(buf, NAME),
    ({ count, rows, cols, pixels }) => {
      expect([rows, cols]).toEqual([28, 28]);
      expect(buf.length).toBe(16 + count * 784);
      expect(pixels.length).toBe(count * 784);
      expect(Buffer.compare(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.length), buf.subarray(16))).toBe(0);
    },
  );
}

function labelsOrRefused(buf: Buffer): 'parsed' | 'refused' {
  return parsesOrRefuses(
    () => parseIdxLabels(buf, NAME),
    ({ count, labels }) => {
      expect(buf.length).toBe(8 + count);
      expect(labels.length).toBe(count);
      expect(Buffer.compare(Buffer.from(labels.buffer, labels.byteOffset, labels.length), buf.subarray(8))).toBe(0);
      expect(labels.every((l) => l <= 9)).toBe(true);
    },
  );
}

const offset = fc.integer({ min: 0, max: 40 });
const validImages = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.nat()).map(([n, seed]) => imagesFile(n, seed));
const validLabels = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.nat()).map(([n, seed]) => labelsFile(n, seed));
/** Random bytes, some starting with the right magic number and a plausible header. */
const randomBytes = (magic: number) =>
  fc.tuple(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom('none', 'magic', 'header')).map(([b, head]) => {
    const out = Buffer.from(b.length >= 16 ? b : Uint8Array.from([...b, ...new Uint8Array(16 - b.length)]));
    if (head !== 'none') out.writeUInt32BE(magic, 0);
    if (head === 'header' && magic === IDX_IMAGES_MAGIC) {
      out.writeUInt32BE(Math.floor((out.length - 16) / 784), 4);
      out.writeUInt32BE(28, 8);
      out.writeUInt32BE(28, 12);
    } else if (head === 'header') out.writeUInt32BE(out.length - 8, 4);
    return new Uint8Array(head === 'none' ? b : out);
  });

/** An image file of another shape, its length matching its header (16x49 has 784 pixels too). */
const otherShape = fc
  .tuple(
    fc.integer({ min: 0, max: 3 }),
    fc.constantFrom(0, 1, 2, 14, 16, 27, 28, 29, 49, 56, 392, 784),
    fc.constantFrom(0, 1, 16, 27, 28, 49, 784),
  )
  .map(([count, rows, cols]) => {
    const b = Buffer.alloc(16 + count * rows * cols);
    b.writeUInt32BE(IDX_IMAGES_MAGIC, 0);
    b.writeUInt32BE(count, 4);
    b.writeUInt32BE(rows, 8);
    b.writeUInt32BE(cols, 12);
    return new Uint8Array(b);
  });

describe('the IDX parsers, fuzzed', () => {
  it('parse what they should: valid files at any offset (500 of each)', () => {
    fc.assert(
      fc.property(validImages, validLabels, offset, (img, lbl, at) => {
        expect(imagesOrRefused(atOffset(img, at))).toBe('parsed');
        expect(labelsOrRefused(atOffset(lbl, at))).toBe('parsed');
      }),
      { numRuns: 500 },
    );
  });

  it('parse or refuse mutated image files: bytes edited, headers rewritten, cut short (4,000 mutants)', () => {
    let refused = 0;
    fc.assert(
      fc.property(mutatedBytes(validImages, { fields: [0, 4, 8, 12] }), offset, (b, at) => {
        if (imagesOrRefused(atOffset(b, at)) === 'refused') refused++;
      }),
      { numRuns: 4000 },
    );
    expect(refused).toBeGreaterThan(1000);
  });

  it('parse or refuse mutated label files: labels over 9, counts rewritten, cut short (4,000 mutants)', () => {
    let refused = 0;
    fc.assert(
      fc.property(mutatedBytes(validLabels, { fields: [0, 4] }), offset, (b, at) => {
        if (labelsOrRefused(atOffset(b, at)) === 'refused') refused++;
      }),
      { numRuns: 4000 },
    );
    expect(refused).toBeGreaterThan(1000);
  });

  it('refuse images of any other shape (1,000 files)', () => {
    fc.assert(
      fc.property(otherShape, offset, (img, at) => {
        imagesOrRefused(atOffset(img, at));
      }),
      { numRuns: 1000 },
    );
  });

  it('parse or refuse random bytes, with or without an IDX header (2,000 of each)', () => {
    fc.assert(
      fc.property(randomBytes(IDX_IMAGES_MAGIC), randomBytes(IDX_LABELS_MAGIC), offset, (img, lbl, at) => {
        imagesOrRefused(atOffset(img, at));
        labelsOrRefused(atOffset(lbl, at));
        // Each kind refuses the other's file.
        if (img.length >= 16 && Buffer.from(img).readUInt32BE(0) === IDX_IMAGES_MAGIC)
          expect(labelsOrRefused(atOffset(img, at))).toBe('refused');
      }),
      { numRuns: 2000 },
    );
  });
});
