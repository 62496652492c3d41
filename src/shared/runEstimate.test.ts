import { describe, expect, it } from 'vitest';
import {
  estimateMemory,
  estimateTime,
  formatBytes,
  memoryBudget,
  memoryRefusal,
  multiplyAdds,
  parameterCount,
  raceSeconds,
  RUN_OVERHEAD_MIN_S,
  speedFor,
  stepSeconds,
  type StepShape,
} from './runEstimate';
import { DEFAULT_CONFIG, type TrainConfig } from './trainConfig';

const recipe: TrainConfig = { ...DEFAULT_CONFIG, hiddenUnits: [...DEFAULT_CONFIG.hiddenUnits] };
const shape = (hiddenUnits: number[], batchSize = 32): StepShape => ({ hiddenUnits, batchSize, optimizer: 'adam' });
const largest: TrainConfig = { ...recipe, hiddenUnits: Array.from({ length: 8 }, () => 1024) };

describe('network size', () => {
  it('counts the recipe network: 784-64-64-10', () => {
    expect(multiplyAdds([64, 64])).toBe(784 * 64 + 64 * 64 + 64 * 10);
    expect(parameterCount([64, 64])).toBe(784 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10);
    expect(parameterCount([])).toBe(7850);
  });
});

describe('time', () => {
  it('keeps a measured speed for the same shape', () => {
    const s = stepSeconds(shape([64, 64]), { shape: shape([64, 64]), samplesPerSec: 32_000 });
    expect(s).toBeCloseTo(32 / 32_000, 9);
  });

  it('scales a speed to a wider network: slower, but less than the multiply-adds alone say', () => {
    const measured = { shape: shape([64, 64]), samplesPerSec: 30_000 };
    const wide = 32 / stepSeconds(shape([1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024]), measured);
    const ratio = multiplyAdds(largest.hiddenUnits) / multiplyAdds([64, 64]);
    expect(wide).toBeLessThan(30_000 / 50);
    expect(wide).toBeGreaterThan(30_000 / ratio);
  });

  it('prefers an exact measurement to a scaled one', () => {
    const speeds = [
      { shape: shape([128]), samplesPerSec: 9_000 },
      { shape: shape([64, 64]), samplesPerSec: 20_000 },
    ];
    expect(speedFor(shape([128]), speeds)).toBe(9_000);
    expect(speedFor(shape([64, 64]), speeds)).toBe(20_000);
    expect(speedFor(shape([64, 64]), [])).toBeNull();
    // Not measured: scaled from the newest.
    expect(speedFor(shape([256, 256]), speeds)).toBeLessThan(20_000);
  });

  it('adds up training, a validation pass per epoch, the test pass and the fixed start', () => {
    const e = estimateTime({ ...recipe, trainSize: 6000, epochs: 2 }, 10_000)!;
    expect(e.trainSeconds).toBeCloseTo(1.2, 6);
    // 1,500 validation images twice and 10,000 test images, each about 0.15 of a training sample
    expect(e.evalSeconds).toBeCloseTo((13_000 * 0.15) / 10_000, 6);
    expect(e.seconds).toBeGreaterThan(e.trainSeconds + e.evalSeconds);
    expect(estimateTime(recipe, null)).toBeNull();
    expect(estimateTime(recipe, 0)).toBeNull();
  });

  it('counts the fixed start and end in samples, so it slows down with the machine', () => {
    const fast = estimateTime({ ...recipe, trainSize: 600, epochs: 1 }, 2_000)!;
    const slow = estimateTime({ ...recipe, trainSize: 600, epochs: 1 }, 200)!;
    expect(slow.seconds).toBeCloseTo(fast.seconds * 10, 6);
  });

  it('never counts less than the floor for the start and the report, however fast the kernel trains', () => {
    const tiny = { ...recipe, trainSize: 3000, epochs: 2 };
    const e = estimateTime(tiny, 35_000)!;
    expect(e.seconds - e.trainSeconds - e.evalSeconds).toBeCloseTo(RUN_OVERHEAD_MIN_S, 6);
    expect(e.seconds).toBeGreaterThan(0.5);
  });

  it('puts the recipe at under 20 s at 30k samples/s, and the largest network at over ten minutes', () => {
    expect(estimateTime(recipe, 30_000)!.seconds).toBeGreaterThan(16);
    expect(estimateTime(recipe, 30_000)!.seconds).toBeLessThan(20);
    const sps = speedFor(largest, [{ shape: shape([64, 64]), samplesPerSec: 30_000 }]);
    expect(estimateTime(largest, sps)!.seconds).toBeGreaterThan(600);
  });

  it('times a race on a new shape from each lane, skipping lanes that did not start', () => {
    const one = raceSeconds(shape([64, 64]), shape([64, 64]), [32_000]);
    // two warm-up steps of 1 ms and 30 timed ones (30 ms < 150 ms)
    expect(one).toBeCloseTo(0.032, 3);
    expect(raceSeconds(shape([64, 64]), shape([64, 64]), [32_000, null, 0])).toBeCloseTo(one, 9);
    expect(raceSeconds(largest, shape([64, 64]), [30_000, 6_000, 2_000])).toBeGreaterThan(1);
  });
});

describe('memory', () => {
  it('puts the recipe at a few hundred MB, most of it the scaled images', () => {
    const m = estimateMemory(recipe);
    expect(m.bytes).toBeGreaterThan(200e6);
    expect(m.bytes).toBeLessThan(400e6);
    expect(m.dataBytes).toBeGreaterThan(m.modelBytes);
  });

  it('grows with the network and the batch', () => {
    const m = estimateMemory(largest);
    // 8.2M parameters x 4 bytes x 6 (weights, gradients, two Adam moments, two temporaries) x 2
    expect(m.modelBytes).toBeCloseTo(parameterCount(largest.hiddenUnits) * 4 * 6 * 2, -3);
    expect(estimateMemory({ ...largest, batchSize: 4096 }).activationBytes).toBeGreaterThan(500e6);
    expect(estimateMemory({ ...recipe, optimizer: 'sgd' }).modelBytes).toBeLessThan(estimateMemory(recipe).modelBytes);
  });

  it('budgets half the device memory, at most 2 GiB', () => {
    expect(memoryBudget(undefined)).toBe(2 * 2 ** 30);
    expect(memoryBudget(8)).toBe(2 * 2 ** 30);
    expect(memoryBudget(1)).toBe(2 ** 29);
  });

  it('refuses a run that cannot fit, with the reason and what to change; the recipe fits everywhere', () => {
    expect(memoryRefusal(recipe, memoryBudget(1))).toBeNull();
    expect(memoryRefusal(largest, memoryBudget(8))).toBeNull();
    expect(memoryRefusal({ ...largest, batchSize: 512 }, memoryBudget(4))).toBeNull();
    const why = memoryRefusal({ ...largest, batchSize: 4096 }, memoryBudget(1));
    expect(why).toMatch(/needs about \d\.\d GB to train, more than this device can give the page \(about 537 MB\)/);
    // A 2 GB phone: the largest network trains at batch 32, not at 4,096.
    expect(memoryRefusal(largest, memoryBudget(2))).toBeNull();
    expect(memoryRefusal({ ...largest, batchSize: 4096 }, memoryBudget(2))).not.toBeNull();
    expect(why).toMatch(/narrower hidden layers, or a smaller batch/);
  });

  it('writes sizes as people read them', () => {
    expect(formatBytes(240e6)).toBe('240 MB');
    expect(formatBytes(1.26e9)).toBe('1.3 GB');
    expect(formatBytes(10)).toBe('1 MB');
  });
});
