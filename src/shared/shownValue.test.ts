import { describe, expect, it } from 'vitest';
import { shownValue } from './shownValue';

describe('shownValue', () => {
  it('shows numbers as numbers, strings quoted, objects as JSON', () => {
    expect(shownValue(2)).toBe('2');
    expect(shownValue(NaN)).toBe('NaN');
    expect(shownValue(undefined)).toBe('undefined');
    expect(shownValue('2')).toBe('"2"');
    expect(shownValue(null)).toBe('null');
    expect(shownValue({ a: [1] })).toBe('{"a":[1]}');
  });

  it('never throws, even where String() does, and cuts a long value', () => {
    const trap = JSON.parse('{"toString":1,"valueOf":{}}') as unknown;
    expect(() => String(trap)).toThrow(TypeError);
    expect(shownValue(trap)).toBe('{"toString":1,"valueOf":{}}');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(shownValue(cycle)).toBe('[object Object]');
    expect(shownValue('x'.repeat(1000))).toHaveLength(40);
    expect(shownValue('x'.repeat(1000), 10)).toBe(`"${'x'.repeat(8)}…`);
  });
});
