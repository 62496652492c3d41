import { describe, expect, it } from 'vitest';
import { isReferenceRun } from './referenceRun';
import { DEFAULT_CONFIG } from '../shared/trainConfig';

const full = { outcome: 'completed' as const, epochsRun: 10 };

describe('isReferenceRun: the reference figure stands beside a result only for the reference recipe', () => {
  it('the defaults, run to the end, on any backend', () => {
    expect(isReferenceRun({ ...DEFAULT_CONFIG, hiddenUnits: [64, 64] }, full)).toBe(true);
    expect(isReferenceRun({ ...DEFAULT_CONFIG, hiddenUnits: [64, 64], backend: 'wasm' }, full)).toBe(true);
  });
  it('not a smaller run, other settings, a stopped run or an unknown recipe', () => {
    expect(
      isReferenceRun({ ...DEFAULT_CONFIG, hiddenUnits: [64, 64], trainSize: 3000, epochs: 2 }, { outcome: 'completed', epochsRun: 2 }),
    ).toBe(false);
    expect(isReferenceRun({ ...DEFAULT_CONFIG, hiddenUnits: [128, 64] }, full)).toBe(false);
    expect(isReferenceRun({ ...DEFAULT_CONFIG, hiddenUnits: [64, 64] }, { outcome: 'stopped', epochsRun: 4.2 })).toBe(false);
    expect(isReferenceRun(null, full)).toBe(false);
    expect(isReferenceRun({ ...DEFAULT_CONFIG, hiddenUnits: [64, 64] }, null)).toBe(false);
  });
});
