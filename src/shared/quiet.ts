/**
 * How long the worker may go silent while a command runs, for the client's
 * liveness check (a ping unanswered for longer means the worker is dead). Most
 * commands answer pings between their steps at once; the long synchronous
 * stretches are one training step (forward and backward: about 6 FLOP per
 * parameter per image), one evaluation chunk (about 2 per parameter per image)
 * and WebGL compiling its shaders the first time (measured up to 4.7 s for
 * the dreams on SwiftShader). Training is timed at a floor speed 6 times below
 * the slowest backend measured on a large network (plain JavaScript, 0.12
 * GFLOP/s on 784-256-256-256-10), so a slow or loaded machine is never taken
 * for a dead worker.
 */
import { IMAGE_PIXELS, NUM_CLASSES } from './constants';

/** The floor speed, FLOP per ms (0.02 GFLOP/s). */
export const FLOOR_FLOP_PER_MS = 2e4;
/** Rows per evaluation chunk (the worker's deviceData.ts EVAL_CHUNK; a test holds them equal). */
export const EVAL_CHUNK_ROWS = 1000;
/** What a heavy command may take without a word before it shows progress: shader compiles, large models, a run's data upload, ms. */
export const HEAVY_COMMAND_QUIET_MS = 30_000;

/** How long a command may keep the worker silent, ms: before it shows progress, and once a run streams its steps. */
export interface Quiet {
  /** Until the command answers or (a run) streams its first batch. */
  startMs: number;
  /** A run streaming batches: one step or evaluation chunk; 0 when the client's usual allowance covers it. */
  stepMs: number;
}

/** Weights and biases of a 784 → hidden… → 10 network. */
export function parameterCountOf(hiddenUnits: readonly number[]): number {
  const sizes = [IMAGE_PIXELS, ...hiddenUnits, NUM_CLASSES];
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l - 1]! * sizes[l]! + sizes[l]!;
  return n;
}

/** The longest the worker may be silent training `hiddenUnits` at `batchSize`: its start (upload, race, first shaders) and each step. */
export function trainingQuiet(hiddenUnits: readonly number[], batchSize: number): Quiet {
  const flop = Math.max(6 * batchSize, 2 * EVAL_CHUNK_ROWS) * parameterCountOf(hiddenUnits);
  const stepMs = Math.ceil(flop / FLOOR_FLOP_PER_MS);
  return { startMs: Math.max(HEAVY_COMMAND_QUIET_MS, stepMs), stepMs };
}

/** A heavy command that is not a run. */
export const HEAVY: Quiet = { startMs: HEAVY_COMMAND_QUIET_MS, stepMs: 0 };
