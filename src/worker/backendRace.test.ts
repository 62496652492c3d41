import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { BackendName, RaceEntry } from '../shared/protocol';
import { DEFAULT_CONFIG } from '../shared/trainConfig';
import {
  decideRace,
  formatRate,
  indexedDbCache,
  raceKey,
  raceNote,
  raceOrRecall,
  runRace,
  type RaceVerdict,
  type VerdictCache,
} from './backendRace';

const lane = (backend: BackendName, samplesPerSec: number | null): RaceEntry => ({ backend, samplesPerSec });

describe("auto's race", () => {
  it('picks the fastest backend that ran, whatever the order', () => {
    expect(decideRace([lane('webgl', 3800), lane('wasm', 27000), lane('cpu', 2100)])).toBe('wasm');
    expect(decideRace([lane('cpu', 2100), lane('wasm', 27000), lane('webgl', 90000)])).toBe('webgl');
    expect(decideRace([lane('webgpu', null), lane('webgl', null), lane('cpu', 900)])).toBe('cpu');
    expect(decideRace([lane('webgl', null), lane('wasm', null)])).toBeNull();
    expect(decideRace([])).toBeNull();
  });

  it('breaks a tie towards the GPU', () => {
    expect(decideRace([lane('cpu', 5000), lane('wasm', 5000), lane('webgl', 5000)])).toBe('webgl');
  });

  it('words the race for the progress line, fastest first', () => {
    expect(raceNote([lane('webgl', 3800), lane('wasm', 27086), lane('cpu', 2129)], 'wasm')).toBe(
      'WASM 27k/s · WebGL 3.8k/s · cpu 2.1k/s → WASM',
    );
    expect(raceNote([lane('webgpu', null), lane('wasm', 850.4)], 'wasm')).toBe('WASM 850/s · WebGPU did not start → WASM');
    expect([formatRate(9949), formatRate(9950), formatRate(999.6), formatRate(123456)]).toEqual(['9.9k', '10k', '1000', '123k']);
  });

  it('runs each lane that starts, in order, and decides on the injected timings', async () => {
    const started: BackendName[] = [];
    const timings: Partial<Record<BackendName, number>> = { webgl: 4000, wasm: 30000, cpu: 2500 };
    const { entries, winner } = await runRace(
      ['webgpu', 'webgl', 'wasm', 'cpu'],
      async (b) => {
        started.push(b);
        return b !== 'webgpu';
      },
      async (b) => {
        if (b === 'cpu') throw new Error('lost');
        return timings[b] ?? null;
      },
    );
    expect(started).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(entries).toEqual([lane('webgpu', null), lane('webgl', 4000), lane('wasm', 30000), lane('cpu', null)]);
    expect(winner).toBe('wasm');
  });

  it('remembers the verdict per shape and browser, and races again for another shape', async () => {
    const store = new Map<string, RaceVerdict>();
    const cache: VerdictCache = { get: async (k) => store.get(k) ?? null, set: async (k, v) => void store.set(k, v) };
    let races = 0;
    const race = async () => {
      races++;
      return { entries: [lane('wasm', 20000 + races), lane('cpu', 2000)], winner: 'wasm' as const };
    };
    const key = raceKey(DEFAULT_CONFIG, 'Chrome/1');
    const first = await raceOrRecall(key, cache, race);
    const again = await raceOrRecall(key, cache, race);
    expect(first.cached).toBe(false);
    expect(again).toEqual({ verdict: first.verdict, cached: true });
    expect(races).toBe(1);
    const wider = raceKey({ ...DEFAULT_CONFIG, hiddenUnits: [256, 128] }, 'Chrome/1');
    expect(wider).not.toBe(key);
    expect(raceKey(DEFAULT_CONFIG, 'Firefox/2')).not.toBe(key);
    const longer: typeof DEFAULT_CONFIG = { ...DEFAULT_CONFIG, trainSize: 600, epochs: 1 };
    expect(raceKey(longer, 'Chrome/1')).toBe(key);
    expect((await raceOrRecall(wider, cache, race)).cached).toBe(false);
    expect(races).toBe(2);
  });

  it('keeps a verdict in IndexedDB', async () => {
    const cache = indexedDbCache()!;
    const v: RaceVerdict = { entries: [lane('wasm', 1)], winner: 'wasm', at: 5 };
    expect(await cache.get('k')).toBeNull();
    await cache.set('k', v);
    expect(await cache.get('k')).toEqual(v);
  });
});

describe('measureSteps', () => {
  it('times real steps of the shape on the active backend and leaks no tensors', async () => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const { measureSteps } = await import('./backendRace');
    const n = tf.memory().numTensors;
    const rate = await measureSteps({ hiddenUnits: [8], batchSize: 16, activation: 'relu', optimizer: 'adam' }, 30, 5);
    expect(rate).toBeGreaterThan(0);
    expect(Number.isFinite(rate)).toBe(true);
    expect(tf.memory().numTensors).toBe(n);
  });

  it('on wasm times the WASM SIMD kernel, as a run there trains (tf.js only when told so)', { timeout: 60_000 }, async () => {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    const { readFile } = await import('node:fs/promises');
    const { ensureKernel, KERNEL_WASM } = await import('../../scripts/buildKernel.mjs');
    const { setKernelLoader } = await import('./kernel/kernelModule');
    const { measureSteps } = await import('./backendRace');
    await ensureKernel();
    let loads = 0;
    setKernelLoader(async () => {
      loads++;
      return new Uint8Array(await readFile(KERNEL_WASM));
    });
    await tf.setBackend('wasm');
    await tf.ready();
    const shape = { hiddenUnits: [64, 64], batchSize: 32, activation: 'relu' as const, optimizer: 'adam' as const };
    const n = tf.memory().numTensors;
    const tfjs = await measureSteps(shape, 50, 20, 'off');
    expect(loads).toBe(0);
    const kernel = await measureSteps(shape, 50, 20);
    expect(loads).toBe(1);
    for (const rate of [tfjs, kernel]) expect(rate).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(n);
    await tf.setBackend('cpu');
  });
});
