import { describe, expect, it } from 'vitest';
import { decodeMyDigitsFile, encodeMyDigitsFile, MAX_MY_DIGITS, MyDigitsFileError, nextPrompt, toBytes, toDigitSet } from './myDigits';

const digit = (label: number, seed: number) => ({ label, pixels: new Uint8Array(784).map((_, i) => (i * 7 + seed * 31) % 256) });

describe('my digits file', () => {
  it('round-trips labels and every pixel, in order', () => {
    const digits = [digit(3, 1), digit(0, 2), digit(9, 3)];
    const back = decodeMyDigitsFile(encodeMyDigitsFile(digits));
    expect(back.map((d) => d.label)).toEqual([3, 0, 9]);
    back.forEach((d, i) => expect(d.pixels).toEqual(digits[i]!.pixels));
    expect(decodeMyDigitsFile(encodeMyDigitsFile([]))).toEqual([]);
  });

  it.each([
    ['not JSON', 'hello', /not JSON/],
    ['another format', JSON.stringify({ format: 'x' }), /not a digits file/],
    ['another version', JSON.stringify({ format: 'mnist-playground-digits', version: 2 }), /version 2/],
    ['a count that is not a number', JSON.stringify({ format: 'mnist-playground-digits', version: 1, count: 'two' }), /count/],
    ['too many digits', JSON.stringify({ format: 'mnist-playground-digits', version: 1, count: MAX_MY_DIGITS + 1 }), /at most/],
  ])('refuses %s', (_, text, message) => {
    expect(() => decodeMyDigitsFile(text)).toThrow(MyDigitsFileError);
    expect(() => decodeMyDigitsFile(text)).toThrow(message);
  });

  it('refuses labels and pixels that disagree with the count', () => {
    const good = JSON.parse(encodeMyDigitsFile([digit(1, 1), digit(2, 2)])) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>) => () => decodeMyDigitsFile(JSON.stringify({ ...good, ...patch }));
    expect(bad({ labels: [1] })).toThrow(/2 digits but has 1 labels/);
    expect(bad({ labels: [1, 10] })).toThrow(/Label 2 is 10/);
    expect(bad({ labels: [1, 1.5] })).toThrow(/Label 2/);
    expect(bad({ pixels: 'AAAA' })).toThrow(/3 bytes; 2 digits need 1568/);
    expect(bad({ pixels: '%%%' })).toThrow(/base64/);
    expect(bad({ count: 3 })).toThrow(/3 digits but has 2/);
  });
});

describe('my digits helpers', () => {
  it('stores the model input as bytes and concatenates a set', () => {
    const px = new Float32Array(784);
    px[0] = 1;
    px[1] = 0.5;
    px[2] = 1.7;
    const b = toBytes(px);
    expect([b[0], b[1], b[2], b[3]]).toEqual([255, 128, 255, 0]);
    const set = toDigitSet([
      { label: 4, pixels: b },
      { label: 7, pixels: new Uint8Array(784) },
    ]);
    expect(Array.from(set.labels)).toEqual([4, 7]);
    expect(set.images.length).toBe(1568);
    expect(set.images[0]).toBe(255);
  });

  it('prompts for the digit with the fewest examples, cycling on ties', () => {
    expect(nextPrompt([])).toBe(0);
    expect(nextPrompt([], 0)).toBe(1);
    expect(nextPrompt([], 9)).toBe(0);
    const some = [0, 1, 2, 3, 4, 5, 6, 8, 9].map((label) => ({ label }));
    expect(nextPrompt(some, 2)).toBe(7);
  });
});
