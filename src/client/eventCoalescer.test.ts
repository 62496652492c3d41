import { describe, expect, it } from 'vitest';
import { EventCoalescer, type CoalescerTimers } from './eventCoalescer';
import type { ClientEvent } from './trainerClient';

/** Timers driven by hand: `advance(ms)` moves the clock and runs what fell due. */
function fakeTimers() {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: CoalescerTimers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => void due.delete(id as number),
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const first = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!first || first[1].at > end) break;
      due.delete(first[0]);
      now = first[1].at;
      first[1].fn();
    }
    now = end;
  };
  return { timers, advance, pending: () => due.size };
}

const batch = (step: number): ClientEvent => ({
  type: 'batch',
  version: 1,
  step,
  stepsPerEpoch: 100,
  epoch: step / 100,
  loss: 1,
  accuracy: 0.5,
  rawLoss: 1,
  samplesPerSec: 1000,
  etaMs: 10,
});
const firstLayer = (n: number): ClientEvent => ({ type: 'firstLayer', version: 1, units: n, weights: new Float32Array(0) });
const epoch = (e: number): ClientEvent => ({
  type: 'epoch',
  version: 1,
  epoch: e,
  epochs: 10,
  trainLoss: 1,
  trainAccuracy: 0.5,
  valLoss: 1,
  valAccuracy: 0.5,
  elapsedMs: 0,
  samplesPerSec: 1,
  etaMs: 0,
});

function setup(interval = 250) {
  const t = fakeTimers();
  const calls: ClientEvent[][] = [];
  const c = new EventCoalescer((events) => calls.push(events), interval, t.timers);
  return { ...t, calls, c, delivered: () => calls.flat() };
}

describe('EventCoalescer', () => {
  it('hands on 20 batch events a second in at most 5 deliveries, every one of them, in order', () => {
    const { c, advance, calls, delivered } = setup();
    for (let i = 1; i <= 20; i++) {
      c.push(batch(i));
      advance(50);
    }
    advance(250);
    expect(calls.length).toBeLessThanOrEqual(5);
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(delivered().map((e) => (e.type === 'batch' ? e.step : -1))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('hands on the first stream event after a quiet spell at once', () => {
    const { c, calls } = setup();
    c.push(batch(1));
    expect(calls).toHaveLength(1);
  });

  it('never holds a stream event longer than the interval', () => {
    const { c, advance, calls } = setup();
    c.push(batch(1)); // at once
    advance(10);
    c.push(batch(2)); // held until 250
    advance(239);
    expect(calls).toHaveLength(1);
    advance(1);
    expect(calls).toHaveLength(2);
  });

  it('hands on other events at once, after what was held, so order is kept', () => {
    const { c, calls, advance, pending } = setup();
    c.push(batch(1));
    advance(10);
    c.push(batch(2));
    c.push(epoch(1));
    expect(calls.map((es) => es.map((e) => e.type))).toEqual([['batch'], ['batch', 'epoch']]);
    expect(pending()).toBe(0);
  });

  it('keeps only the newest first-layer picture of those held, in its latest place', () => {
    const { c, advance, calls } = setup();
    c.push(batch(1));
    advance(10);
    c.push(firstLayer(1));
    c.push(batch(2));
    c.push(firstLayer(2));
    advance(250);
    expect(calls[1]!.map((e) => (e.type === 'firstLayer' ? `w${e.units}` : e.type === 'batch' ? `b${e.step}` : e.type))).toEqual([
      'b2',
      'w2',
    ]);
  });

  it('drops what is held on dispose', () => {
    const { c, advance, calls, pending } = setup();
    c.push(batch(1));
    advance(10);
    c.push(batch(2));
    c.dispose();
    expect(pending()).toBe(0);
    advance(1000);
    expect(calls).toHaveLength(1);
  });
});
