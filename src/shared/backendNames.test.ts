import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES, backendName } from './backendNames';

describe('backend display names', () => {
  it('names every backend once, as the page shows it', () => {
    expect(BACKEND_NAMES).toEqual({ webgl: 'WebGL', webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' });
    expect(backendName('cpu')).toBe('CPU');
    expect(backendName('auto')).toBe('auto');
  });
});
