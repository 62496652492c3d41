/**
 * Fuzzing the `.digits.json` import (fast-check): random text, bytes and JSON values; a valid file
 * with fields deleted or replaced (wrong types, huge or negative counts, labels out of 0..9, bad
 * base64, pixels of the wrong length); the file's own bytes mutated. Every input either decodes to
 * a set the page can store (digits 0..9, 784 bytes each, as many as the file says, at most
 * MAX_MY_DIGITS) or is refused with a MyDigitsFileError and one short sentence; never another
 * exception, never a hang, and a file too large is refused before its pixels are decoded.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hostileJson, mutatedBytes, mutatedJson, quick } from '../../scripts/fuzz';
import { IMAGE_PIXELS } from './constants';
import { decodeMyDigitsFile, encodeMyDigitsFile, MAX_MY_DIGITS, MAX_MY_DIGITS_FILE_CHARS, MyDigitsFileError } from './myDigits';

/** Decodes or refuses; anything else fails the property. */
function decodesOrRefuses(text: string): 'decoded' | 'refused' {
  let digits: { label: number; pixels: Uint8Array }[];
  try {
    digits = quick(() => decodeMyDigitsFile(text));
  } catch (e) {
    if (!(e instanceof MyDigitsFileError)) throw new Error(`not a MyDigitsFileError: ${String(e)}`, { cause: e });
    expect(e.message.length).toBeGreaterThan(10);
    // One sentence, whatever the file holds (a label 10,000 characters long is not repeated).
    expect(e.message.length).toBeLessThan(200);
    return 'refused';
  }
  // Decoded: what the file says, in range.
  const file = JSON.parse(text) as { count: number; labels: number[]; pixels: string };
  expect(digits.length).toBe(file.count);
  expect(digits.length).toBeLessThanOrEqual(MAX_MY_DIGITS);
  digits.forEach((d, i) => {
    expect(Number.isInteger(d.label) && d.label >= 0 && d.label <= 9).toBe(true);
    expect(d.label).toBe(file.labels[i]);
    expect(d.pixels).toBeInstanceOf(Uint8Array);
    expect(d.pixels.length).toBe(IMAGE_PIXELS);
  });
  // Every byte of the file's pixels, none more (Buffer reads base64 on its own).
  expect(Buffer.compare(Buffer.concat(digits.map((d) => d.pixels)), Buffer.from(file.pixels, 'base64'))).toBe(0);
  return 'decoded';
}

/** A digit with pixels of every value 0..255 (a cheap pattern from a seed: 784 random bytes each would be slow to draw). */
const digit = fc
  .record({ label: fc.integer({ min: 0, max: 9 }), seed: fc.integer({ min: 0, max: 255 }), step: fc.integer({ min: 1, max: 255 }) })
  .map(({ label, seed, step }) => ({ label, pixels: new Uint8Array(IMAGE_PIXELS).map((_, i) => (seed + i * step) & 255) }));
const valid = encodeMyDigitsFile([
  { label: 3, pixels: new Uint8Array(IMAGE_PIXELS).map((_, i) => i % 256) },
  { label: 0, pixels: new Uint8Array(IMAGE_PIXELS).fill(255) },
  { label: 9, pixels: new Uint8Array(IMAGE_PIXELS) },
]);
const validJson = JSON.parse(valid) as Record<string, unknown>;

/** A digits file's own traps: counts too large or not whole, labels that are not digits, pixels that are not 3 x 784 bytes of base64. */
const traps = hostileJson(
  1e9,
  MAX_MY_DIGITS + 1,
  2,
  3,
  4,
  [3, 0],
  [3, 0, 10],
  [3, 0, -1],
  [3, 0, 1.5],
  [3, 0, '9'],
  [3, 0, null],
  new Array(10).fill(1),
  'mnist-playground-digits',
  'AAAA',
  'AA=',
  'A',
  '====',
  '%%%',
  'QUFB\n',
  (validJson.pixels as string).slice(0, -4),
  `${validJson.pixels as string}AAAA`,
  `${(validJson.pixels as string).slice(0, -1)}=`,
  `${(validJson.pixels as string).slice(0, 100)} ${(validJson.pixels as string).slice(100)}`,
);

afterEach(() => vi.restoreAllMocks());

describe('the .digits.json import, fuzzed', () => {
  it('decodes what the page exports (300 random sets of 0 to 5 digits)', () => {
    fc.assert(
      fc.property(fc.array(digit, { maxLength: 5 }), (digits) => {
        const text = encodeMyDigitsFile(digits);
        expect(decodesOrRefuses(text)).toBe('decoded');
        const back = decodeMyDigitsFile(text);
        expect(back.map((d) => d.label)).toEqual(digits.map((d) => d.label));
        back.forEach((d, i) => expect(Buffer.compare(d.pixels, digits[i]!.pixels)).toBe(0));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses random text, random bytes and random JSON with a sentence (4,000 inputs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }).map((b) => new TextDecoder().decode(b)),
          hostileJson().map((v) => JSON.stringify(v) ?? ''),
        ),
        (text) => {
          expect(decodesOrRefuses(text)).toBe('refused');
        },
      ),
      { numRuns: 4000 },
    );
  });

  it('decodes or refuses every mutation of a valid file: fields deleted, retyped, out of range (6,000 mutants)', () => {
    let refused = 0;
    fc.assert(
      fc.property(mutatedJson(validJson, traps), (m) => {
        if (decodesOrRefuses(JSON.stringify(m)) === 'refused') refused++;
      }),
      { numRuns: 6000 },
    );
    expect(refused).toBeGreaterThan(4000);
  });

  it('decodes or refuses a valid file whose bytes are overwritten, inserted, deleted or cut (4,000 mutants)', () => {
    const bytes = new TextEncoder().encode(valid);
    fc.assert(
      fc.property(mutatedBytes(bytes), (b) => {
        decodesOrRefuses(new TextDecoder().decode(b));
      }),
      { numRuns: 4000 },
    );
  });

  it('refuses a count too large or pixels of the wrong length before decoding the pixels, and a file too large before parsing it', () => {
    const atob = vi.spyOn(globalThis, 'atob');
    for (const count of [1e9, MAX_MY_DIGITS + 1, 2 ** 53]) {
      const text = JSON.stringify({ ...validJson, count });
      expect(() => decodeMyDigitsFile(text)).toThrow(/at most 10000/);
    }
    // 6 MB of pixels for 3 digits.
    const long = JSON.stringify({ ...validJson, pixels: 'AAAA'.repeat(2_000_000) });
    expect(() => decodeMyDigitsFile(long)).toThrow(/6000000 bytes; 3 digits need 2352/);
    expect(atob).not.toHaveBeenCalled();
    const parse = vi.spyOn(JSON, 'parse');
    expect(() => decodeMyDigitsFile(' '.repeat(MAX_MY_DIGITS_FILE_CHARS + 1))).toThrow(/too large/);
    expect(parse).not.toHaveBeenCalled();
    // The largest file the page writes is within the bound.
    const most = Array.from({ length: MAX_MY_DIGITS }, (_, i) => ({ label: i % 10, pixels: new Uint8Array(IMAGE_PIXELS).fill(i) }));
    expect(decodeMyDigitsFile(encodeMyDigitsFile(most))).toHaveLength(MAX_MY_DIGITS);
  });
});
