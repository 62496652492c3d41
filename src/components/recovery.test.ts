import { describe, expect, it } from 'vitest';
import { alternativeBackends } from './recovery';

describe('alternativeBackends', () => {
  it('never offers the backend that just failed', () => {
    for (const failed of ['wasm', 'cpu', 'webgl', 'webgpu', 'auto'] as const) {
      const offered = alternativeBackends(failed);
      expect(offered.length).toBeGreaterThan(0);
      expect(offered).not.toContain(failed);
    }
    expect(alternativeBackends('wasm')).toEqual(['cpu']);
    expect(alternativeBackends('webgl')).toEqual(['wasm']);
  });
});
