import { describe, expect, it } from 'vitest';
import { shallowEqual } from './useShallowStable';

describe('shallowEqual', () => {
  it('compares keys and values by identity', () => {
    const f = () => {};
    expect(shallowEqual({ a: 1, b: 'x', f }, { a: 1, b: 'x', f })).toBe(true);
    expect(shallowEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(shallowEqual({ a: 1 } as object, { a: 1, b: 2 } as object)).toBe(false);
    expect(shallowEqual({ a: [1] }, { a: [1] })).toBe(false);
    expect(shallowEqual({ a: null as string | null }, { a: null as string | null })).toBe(true);
  });
});
