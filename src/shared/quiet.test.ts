import { describe, expect, it } from 'vitest';
import { EVAL_CHUNK } from '../worker/deviceData';
import { EVAL_CHUNK_ROWS, HEAVY_COMMAND_QUIET_MS, parameterCountOf, trainingQuiet } from './quiet';

describe('how long a busy worker may be silent', () => {
  it('counts the parameters of the network', () => {
    expect(parameterCountOf([64, 64])).toBe(55_050);
    expect(parameterCountOf([])).toBe(7_850);
  });
  it("keeps the recipe's steps within the client's usual 6 s, and gives the largest networks many minutes", () => {
    expect(trainingQuiet([64, 64], 32)).toEqual({ startMs: HEAVY_COMMAND_QUIET_MS, stepMs: 5505 });
    // 8 x 1,024 units: an evaluation chunk is ~17 GFLOP; a 4,096-image step ~200 GFLOP.
    const big = trainingQuiet(Array(8).fill(1024), 32);
    expect(big.stepMs).toBeGreaterThan(10 * 60_000);
    expect(big.startMs).toBe(big.stepMs);
    expect(trainingQuiet(Array(8).fill(1024), 4096).stepMs).toBeGreaterThan(big.stepMs);
  });
  it("times the worker's own evaluation chunks", () => {
    expect(EVAL_CHUNK_ROWS).toBe(EVAL_CHUNK);
  });
});
