/**
 * Fuzzing the `.npz` import (zip → .npy → Keras weights): random bytes and thousands of mutations of
 * valid archives (stored and deflated) must each either read as a valid model or be refused with a
 * KerasWeightsError carrying a message — never another exception, never a hang.
 */
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { mutatedBytes, quick } from '../../scripts/fuzz';
import { IMAGE_PIXELS } from './constants';
import { KerasWeightsError, npzOf, readKerasNpz } from './kerasWeights';
import { NpyError, readNpy, writeNpy } from './npy';

/** A small valid model (784 → 4 → 10), as the page exports it. */
const sizes = [IMAGE_PIXELS, 4, 10];
const params = Float32Array.from({ length: 784 * 4 + 4 + 4 * 10 + 10 }, (_, i) => Math.sin(i) / 10);
const mean = Float32Array.from({ length: 784 }, (_, i) => i % 255);
const scale = new Float32Array(784).fill(255);
const stored = npzOf({ sizes, params, mean, scale });
/** The same arrays in an archive with deflated entries (as np.savez_compressed writes). */
const deflated = (() => {
  const files: Record<string, Uint8Array> = {};
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [n, u] = [sizes[l]!, sizes[l + 1]!];
    files[`arr_${2 * l}.npy`] = writeNpy([n, u], params.subarray(off, off + n * u));
    off += n * u;
    files[`arr_${2 * l + 1}.npy`] = writeNpy([u], params.subarray(off, off + u));
    off += u;
  }
  files['mean.npy'] = writeNpy([784], Float64Array.from(mean));
  files['scale.npy'] = writeNpy([784], Float64Array.from(scale));
  return zipSync(files, { level: 6 });
})();

/** Reads or refuses; anything else fails the property. */
function readsOrRefuses(bytes: Uint8Array): boolean {
  try {
    const stack = quick(() => readKerasNpz(bytes));
    // Accepted: it must be a model the page can run.
    return stack.sizes[0] === 784 && stack.sizes.at(-1) === 10 && stack.kernels.length === stack.sizes.length - 1;
  } catch (e) {
    if (e instanceof KerasWeightsError && e.message.length > 0) return true;
    throw e;
  }
}

/** A valid archive with bytes overwritten, inserted or deleted, a 32-bit field saturated, or the file cut short. */
const mutation = (base: Uint8Array) => mutatedBytes(base, { littleEndian: true });

const RUNS = 3000;

describe('fuzzed .npz import', () => {
  it('reads both valid archives', () => {
    expect(readKerasNpz(stored).sizes).toEqual(sizes);
    expect(readKerasNpz(deflated).sizes).toEqual(sizes);
  });

  it(`reads or refuses ${RUNS} mutations of a stored archive`, () => {
    fc.assert(fc.property(mutation(stored), readsOrRefuses), { numRuns: RUNS, seed: 18 });
  });

  it(`reads or refuses ${RUNS} mutations of a deflated archive`, () => {
    fc.assert(fc.property(mutation(deflated), readsOrRefuses), { numRuns: RUNS, seed: 19 });
  });

  it(`refuses ${RUNS} random byte strings, zip-like or not`, () => {
    const zipLike = fc
      .uint8Array({ minLength: 0, maxLength: 2048 })
      .map((b) => Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...b, 0x50, 0x4b, 0x05, 0x06, ...b.subarray(0, 18)]));
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 4096 }), zipLike), readsOrRefuses), { numRuns: RUNS, seed: 20 });
  });

  it(`reads or refuses ${RUNS} random .npy headers`, () => {
    const pieces = fc.constantFrom(
      '{',
      '}',
      "'descr'",
      "'<f4'",
      "'<f8'",
      "'>f4'",
      "'fortran_order'",
      'False',
      'True',
      "'shape'",
      '(',
      ')',
      ',',
      ':',
      ' ',
      '2',
      '999999999999',
      "'",
      '"',
      '\\',
      '\n',
    );
    const header = fc.array(pieces, { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 64 }), (h, data) => {
        const t = new TextEncoder().encode(h);
        const bytes = new Uint8Array(10 + t.length + data.length);
        bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
        new DataView(bytes.buffer).setUint16(8, t.length, true);
        bytes.set(t, 10);
        bytes.set(data, 10 + t.length);
        try {
          quick(() => readNpy(bytes, 1000));
          return true;
        } catch (e) {
          if (e instanceof NpyError) return true;
          throw e;
        }
      }),
      { numRuns: RUNS, seed: 21 },
    );
  });
});
