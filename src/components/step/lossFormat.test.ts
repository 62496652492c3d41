import { describe, expect, it } from 'vitest';
import { formatLoss } from './lossFormat';

describe('formatLoss', () => {
  it('shows 4 significant digits, and tiny losses in scientific notation', () => {
    expect(formatLoss(2.302585)).toBe('2.303');
    expect(formatLoss(0.04512)).toBe('0.04512');
    expect(formatLoss(3.14e-9)).toBe('3.14E-9');
    expect(formatLoss(0)).toBe('0');
  });
});
