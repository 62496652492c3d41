import { describe, expect, it } from 'vitest';
import { LatestOnlyQueue } from './latestOnlyQueue';

/** A `run` whose answers the test releases by hand. */
function manualRun() {
  const calls: { input: number; resolve: (r: string) => void; reject: (e: unknown) => void }[] = [];
  const run = (input: number) => new Promise<string>((resolve, reject) => calls.push({ input, resolve, reject }));
  return { calls, run };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('LatestOnlyQueue', () => {
  it('keeps one request in flight and answers the latest input after it', async () => {
    let current = 1;
    const { calls, run } = manualRun();
    const results: string[] = [];
    const q = new LatestOnlyQueue(
      () => current,
      run,
      (r) => results.push(r),
    );
    q.request();
    for (current = 2; current <= 5; current++) q.request(); // coalesced
    current = 5;
    expect(calls.map((c) => c.input)).toEqual([1]);
    expect(q.busy).toBe(true);
    calls[0]!.resolve('one');
    await flush();
    expect(results).toEqual(['one']);
    expect(calls.map((c) => c.input)).toEqual([1, 5]); // the latest input, once
    calls[1]!.resolve('five');
    await flush();
    expect(results).toEqual(['one', 'five']);
    expect(q.busy).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it('calls onEmpty when there is nothing to ask', () => {
    let empties = 0;
    const { calls, run } = manualRun();
    const q = new LatestOnlyQueue<number, string>(
      () => null,
      run,
      () => {},
      () => empties++,
    );
    q.request();
    expect(empties).toBe(1);
    expect(calls).toHaveLength(0);
  });

  it('drops the answer in flight after reset, and goes on after errors', async () => {
    let current: number | null = 1;
    const { calls, run } = manualRun();
    const results: string[] = [];
    const errors: unknown[] = [];
    const q = new LatestOnlyQueue(
      () => current,
      run,
      (r) => results.push(r),
      () => {},
      (e) => errors.push(e),
    );
    q.request();
    q.reset();
    calls[0]!.resolve('stale');
    await flush();
    expect(results).toEqual([]);
    current = 2;
    q.request();
    calls[1]!.reject(new Error('worker died'));
    await flush();
    expect(errors).toHaveLength(1);
    q.request();
    calls[2]!.resolve('two');
    await flush();
    expect(results).toEqual(['two']);
  });
});
