import { describe, expect, it } from 'vitest';
import { addSample, measuredRate, MAX_SAMPLES, RunClockStore, runEta, type ClockSample } from './runClock';

/** A run seen every 250 ms at `stepsPerMs`, after a slow start (the first 100 steps take 2 s). */
function samples(untilMs: number, stepsPerMs: number): ClockSample[] {
  let out: ClockSample[] = [];
  for (let t = 0; t <= untilMs; t += 250) {
    const step = t < 2000 ? Math.round((t / 2000) * 100) : 100 + Math.round((t - 2000) * stepsPerMs);
    out = addSample(out, { atMs: t, step });
  }
  return out;
}

describe('measuredRate', () => {
  it('waits for the warm-up steps and a long enough window', () => {
    expect(measuredRate([])).toBeNull();
    expect(measuredRate(samples(2000, 0.5))).toBeNull(); // 100 steps
    expect(measuredRate(samples(2500, 0.5))).toBeNull(); // past 200 steps, but a short window
    expect(measuredRate(samples(6000, 0.5))).toBeCloseTo(0.5, 2);
  });

  it('is the recent rate, not the average since the start', () => {
    const slowThenFast = [...samples(20_000, 0.2)];
    let s = slowThenFast;
    const last = s.at(-1)!;
    for (let t = 250; t <= 20_000; t += 250) s = addSample(s, { atMs: last.atMs + t, step: last.step + Math.round(t * 1) });
    expect(measuredRate(s)).toBeCloseTo(1, 1);
  });
});

describe('addSample', () => {
  it('keeps step counts rising and the list bounded', () => {
    let s: ClockSample[] = [];
    s = addSample(s, { atMs: 0, step: 5 });
    s = addSample(s, { atMs: 10, step: 5 });
    expect(s).toHaveLength(1);
    for (let i = 0; i < 500; i++) s = addSample(s, { atMs: i * 10, step: 10 + i });
    expect(s).toHaveLength(MAX_SAMPLES);
    expect(s.at(-1)!.step).toBe(509);
  });
});

describe('runEta', () => {
  it('counts the estimate down until the rate is measured, then uses the rate', () => {
    const early = runEta({ samples: samples(1000, 0.5), totalSteps: 5000, batchSize: 32, evalImagesLeft: 0, estimateLeftMs: 9000 });
    expect(early).toEqual({ ms: 9000, basis: 'estimate' });
    const late = runEta({ samples: samples(8000, 0.5), totalSteps: 5000, batchSize: 32, evalImagesLeft: 0, estimateLeftMs: 1 })!;
    expect(late.basis).toBe('measured');
    const step = samples(8000, 0.5).at(-1)!.step;
    // steps left at 0.5 steps/ms (16 samples/ms), plus the fixed end of the run (2,000 samples)
    expect(late.ms).toBeCloseTo((5000 - step) / 0.5 + 2000 / 16, -1);
  });

  it('adds the validation and test passes still to come', () => {
    const s = samples(8000, 0.5);
    const without = runEta({ samples: s, totalSteps: 5000, batchSize: 32, evalImagesLeft: 0, estimateLeftMs: null })!;
    const withEval = runEta({ samples: s, totalSteps: 5000, batchSize: 32, evalImagesLeft: 22_000, estimateLeftMs: null })!;
    // 22,000 images x 0.15 of a sample at 16 samples/ms
    expect(withEval.ms - without.ms).toBeCloseTo((22_000 * 0.15) / 16, 0);
  });

  it('never goes below zero, and says nothing without a rate or an estimate', () => {
    expect(runEta({ samples: [], totalSteps: 10, batchSize: 32, evalImagesLeft: 0, estimateLeftMs: -500 })).toEqual({
      ms: 0,
      basis: 'estimate',
    });
    expect(runEta({ samples: [], totalSteps: 10, batchSize: 32, evalImagesLeft: 0, estimateLeftMs: null })).toBeNull();
  });
});

describe('RunClockStore', () => {
  const input = (over: Partial<import('./runClock').RunClockInput>) => ({
    run: 1,
    paused: false,
    step: null,
    totalSteps: 10_000,
    batchSize: 32,
    evalImagesLeft: 0,
    estimateMs: 20_000,
    ...over,
  });

  it('counts the estimate down, then switches to the measured rate, and leaves paused time out', () => {
    let now = 0;
    const clock = new RunClockStore(() => now);
    let heard = 0;
    clock.subscribe(() => heard++);
    clock.update(input({}));
    expect(clock.getSnapshot()).toEqual({ ms: 20_000, basis: 'estimate' });
    now = 5000;
    clock.update(input({ step: 100 }));
    expect(clock.getSnapshot()).toEqual({ ms: 15_000, basis: 'estimate' });
    // Paused for a minute: the estimate does not run down.
    clock.update(input({ step: 100, paused: true }));
    now = 65_000;
    clock.update(input({ step: 100, paused: true }));
    expect(clock.getSnapshot()!.ms).toBe(15_000);
    clock.update(input({ step: 100 }));
    // 1 step per ms from here on.
    for (let i = 1; i <= 20; i++) {
      now += 250;
      clock.update(input({ step: 100 + 250 * i }));
    }
    const eta = clock.getSnapshot()!;
    expect(eta.basis).toBe('measured');
    expect(Math.round(eta.ms / 1000)).toBe(Math.round((10_000 - 5100 + 2000 / 32) / 1000));
    expect(heard).toBeGreaterThan(2);
  });

  it('keeps the measured rate across a pause', () => {
    let now = 0;
    const clock = new RunClockStore(() => now);
    // 1 step per ms for 5 s, a minute's pause, then on at the same rate.
    for (let i = 0; i <= 20; i++) {
      clock.update(input({ step: 250 * i }));
      now += 250;
    }
    const before = clock.getSnapshot()!;
    expect(before.basis).toBe('measured');
    clock.update(input({ step: 5000, paused: true }));
    now += 60_000;
    clock.update(input({ step: 5000, paused: true }));
    clock.update(input({ step: 5000 }));
    now += 250;
    clock.update(input({ step: 5250 }));
    const after = clock.getSnapshot()!;
    expect(after.basis).toBe('measured');
    // 4,750 steps left at 1 step/ms, not at the 5,250 steps / 65 s the page clock saw.
    expect(after.ms).toBeLessThanOrEqual(before.ms);
    expect(after.ms).toBeLessThan(6000);
  });

  it('starts over for a new run and says nothing when none trains', () => {
    let now = 0;
    const clock = new RunClockStore(() => now);
    clock.update(input({ run: 1 }));
    now = 3000;
    clock.update(input({ run: 2 }));
    expect(clock.getSnapshot()).toEqual({ ms: 20_000, basis: 'estimate' });
    clock.update(input({ run: null }));
    expect(clock.getSnapshot()).toBeNull();
  });
});
