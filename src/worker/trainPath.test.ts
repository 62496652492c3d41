import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('./kernel/kernelModule');
  vi.resetModules();
});

describe('which code trains', () => {
  it('trains on the kernel on wasm (sparse unless told otherwise), on tf.js elsewhere', async () => {
    const { trainPathFor, trainPathNote } = await import('./trainPath');
    expect(trainPathFor('wasm')).toBe('kernel-sparse');
    expect(trainPathFor('wasm', 'dense')).toBe('kernel-dense');
    expect(trainPathFor('wasm', 'off')).toBe('tfjs');
    for (const b of ['webgl', 'webgpu', 'cpu']) {
      expect(trainPathFor(b)).toBe('tfjs');
      expect(trainPathNote(b)).toBeNull();
    }
    expect(trainPathNote('wasm')).toMatch(/WASM SIMD kernel, sparse first layer/);
  });

  it('without WebAssembly SIMD trains on tf.js on wasm, and says so in words', async () => {
    vi.doMock('./kernel/kernelModule', () => ({ simdSupported: () => false }));
    const { trainPathFor, trainPathNote } = await import('./trainPath');
    expect(trainPathFor('wasm')).toBe('tfjs');
    expect(trainPathFor('wasm', 'sparse')).toBe('tfjs');
    expect(trainPathNote('wasm')).toBe(
      'This browser has no WebAssembly SIMD: TF.js trains on its WebAssembly backend instead of the faster SIMD kernel.',
    );
  });
});

describe('the SIMD probe', () => {
  it('validates where WebAssembly SIMD runs (Node 20 has it)', async () => {
    const { simdSupported } = await import('./kernel/kernelModule');
    expect(simdSupported()).toBe(true);
  });
});
