import { describe, expect, it } from 'vitest';
import { grayToRgba } from './grayImage';

describe('grayToRgba', () => {
  it('maps bytes and 0..1 floats to the same opaque grey, clamped', () => {
    const bytes = new Uint8Array(784);
    bytes[0] = 255;
    bytes[1] = 128;
    const floats = Float32Array.from(bytes, (b) => b / 255);
    floats[2] = 1.5; // out of range: clamped to white
    const a = grayToRgba(bytes, 255);
    const b = grayToRgba(floats, 1);
    expect(Array.from(a.subarray(0, 8))).toEqual([255, 255, 255, 255, 128, 128, 128, 255]);
    expect(Array.from(b.subarray(0, 12))).toEqual([255, 255, 255, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    expect(a.length).toBe(784 * 4);
    expect(a[783 * 4 + 3]).toBe(255);
  });
});
