import { describe, expect, it } from 'vitest';
import * as v from './validate';

describe('checks of what crosses the thread boundary', () => {
  it('bounds numbers and says where and what is wrong', () => {
    expect(v.int(1, 5).test(3, 'n')).toBeNull();
    expect(v.int(1, 5).test(6, 'n')).toBe('n must be a whole number from 1 to 5 (got 6)');
    expect(v.int(1, 5).test('3', 'n')).toBe('n must be a whole number from 1 to 5 (got "3")');
    expect(v.num(0, 1).test(Infinity, 'x')).toMatch(/from 0 to 1/);
    expect(v.num(0, 1).test(0.5, 'x')).toBeNull();
  });
  it('bounds texts, buffers and typed arrays', () => {
    expect(v.text(3, 1).test('abcd', 's')).toMatch(/1 to 3 characters/);
    expect(v.text(3, 1).test('ab', 's')).toBeNull();
    expect(v.arrayBuffer(4).test(new ArrayBuffer(5), 'b')).toBe('b must be at most 4 bytes (got 5)');
    expect(v.float32Array(2, 0, 1).test(Float32Array.of(0, 1), 'p')).toBeNull();
    expect(v.float32Array(2, 0, 1).test(Float32Array.of(0, 2), 'p')).toBe('p values must be from 0 to 1 (value 1 is 2)');
    expect(v.float32Array(2, 0, 1).test(new Uint8Array(2), 'p')).toMatch(/Float32Array of 2 \(got a Uint8Array of 2\)/);
  });
  it('composes: optional, nullable, objects with paths', () => {
    const c = v.object({ a: v.optional(v.bool), b: v.nullable(v.object({ c: v.int(0, 9) })) });
    expect(c.test({ b: null }, '')).toBeNull();
    expect(c.test({ a: true, b: { c: 3 } }, '')).toBeNull();
    expect(c.test({ b: { c: 30 } }, '')).toBe('b.c must be a whole number from 0 to 9 (got 30)');
    expect(c.test(null, '')).toBe('must be an object (got null)');
    expect(c.test([], 'req')).toBe('req must be an object (got a list of 0)');
  });
  it('checks digit sets and their bound', () => {
    const labels = new Uint8Array(v.MAX_DIGITS_SENT + 1);
    expect(v.digitSet.test({ images: new Uint8Array(0), labels }, 'digits')).toMatch(/at most 60000 digits/);
    expect(v.digitSet.test({ images: new Uint8Array(784), labels: Uint8Array.of(9) }, 'digits')).toBeNull();
  });
  it('describes values shortly, never a huge one whole', () => {
    expect(v.describeValue('x'.repeat(1000))).toBe('a text of 1000 characters');
    expect(v.describeValue(new ArrayBuffer(3))).toBe('an ArrayBuffer of 3 bytes');
    expect(v.describeValue(undefined)).toBe('undefined');
  });
});
