/**
 * `auto` chooses by measurement: a short race of real training steps of the
 * configuration's shape on each backend that starts, the fastest wins, and the
 * verdict is remembered per shape and browser (IndexedDB, in the worker).
 * The decision, the wording and the cache key are pure; `measureSteps` runs on
 * whatever backend is active.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import type { BackendName, RaceEntry } from '../shared/protocol';
import type { TrainConfig } from '../shared/trainConfig';
import { hostMemoryBackend } from './hostMemory';
import { batchGradient, initParams, layerSizes, layout, Optimizer, paramsFromFlat } from './mlp';
import { mulberry32 } from './split';

/** What of a configuration decides a step's cost (not its data size or epochs). */
export type RaceShape = Pick<TrainConfig, 'hiddenUnits' | 'batchSize' | 'activation' | 'optimizer'>;

/** Bumped when the engine's speed changes enough that old verdicts mislead. */
const RACE_VERSION = 1;

/** Where a verdict is remembered: the step's shape and the browser (the same machine answers alike). */
export function raceKey(shape: RaceShape, browser: string): string {
  return `v${RACE_VERSION}|${shape.hiddenUnits.join('-')}|b${shape.batchSize}|${shape.activation}|${shape.optimizer}|${browser}`;
}

/** The order backends race in, and the preference on a tie. */
export const RACE_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** The fastest backend that finished its steps, or null when none did. Ties go to the earlier in RACE_ORDER. */
export function decideRace(entries: readonly RaceEntry[]): BackendName | null {
  let best: RaceEntry | null = null;
  for (const name of RACE_ORDER) {
    const e = entries.find((x) => x.backend === name);
    if (!e || e.samplesPerSec === null || !(e.samplesPerSec > 0)) continue;
    if (!best || e.samplesPerSec > best.samplesPerSec!) best = e;
  }
  return best?.backend ?? null;
}

const LABEL: Record<BackendName, string> = { webgl: 'WebGL', webgpu: 'WebGPU', wasm: 'WASM', cpu: 'cpu' };

/** Samples per second as people read them: 27k, 3.8k, 850. */
export function formatRate(samplesPerSec: number): string {
  if (samplesPerSec >= 9950) return `${Math.round(samplesPerSec / 1000)}k`;
  if (samplesPerSec >= 1000) return `${(samplesPerSec / 1000).toFixed(1)}k`;
  return String(Math.round(samplesPerSec));
}

/** The race for the progress line, fastest first: "WASM 27k/s · WebGL 3.8k/s · cpu 2.1k/s → WASM". */
export function raceNote(entries: readonly RaceEntry[], winner: BackendName): string {
  const ran = entries.filter((e) => e.samplesPerSec !== null).sort((a, b) => b.samplesPerSec! - a.samplesPerSec!);
  const failed = entries.filter((e) => e.samplesPerSec === null).map((e) => `${LABEL[e.backend]} did not start`);
  return [...ran.map((e) => `${LABEL[e.backend]} ${formatRate(e.samplesPerSec!)}/s`), ...failed].join(' · ') + ` → ${LABEL[winner]}`;
}

/** A remembered verdict. */
export interface RaceVerdict {
  entries: RaceEntry[];
  winner: BackendName;
  /** When it was measured, ms since the epoch. */
  at: number;
}

export interface VerdictCache {
  get(key: string): Promise<RaceVerdict | null>;
  set(key: string, verdict: RaceVerdict): Promise<void>;
}

/**
 * Runs the race: for each candidate, `start` it and `measure` it (null: it did
 * not start or failed), then decide. Candidates are raced one after another,
 * so each has the machine to itself.
 */
export async function runRace(
  candidates: readonly BackendName[],
  start: (b: BackendName) => Promise<boolean>,
  measure: (b: BackendName) => Promise<number | null>,
): Promise<{ entries: RaceEntry[]; winner: BackendName | null }> {
  const entries: RaceEntry[] = [];
  for (const b of candidates) {
    let rate: number | null = null;
    try {
      if (await start(b)) rate = await measure(b);
    } catch {
      rate = null;
    }
    entries.push({ backend: b, samplesPerSec: rate });
  }
  return { entries, winner: decideRace(entries) };
}

/** The verdict for `key` from the cache, or a fresh race remembered there. */
export async function raceOrRecall(
  key: string,
  cache: VerdictCache | null,
  race: () => Promise<{ entries: RaceEntry[]; winner: BackendName | null }>,
): Promise<{ verdict: RaceVerdict | null; cached: boolean }> {
  const known = await cache?.get(key).catch(() => null);
  if (known) return { verdict: known, cached: true };
  const { entries, winner } = await race();
  if (!winner) return { verdict: null, cached: false };
  const verdict: RaceVerdict = { entries, winner, at: Date.now() };
  await cache?.set(key, verdict).catch(() => {});
  return { verdict, cached: false };
}

/**
 * Samples per second of real training steps of `shape` on the active backend:
 * the engine's own step (forward, backward, optimizer; batches uploaded from
 * the host on the CPU backends, gathered on the device on GPUs), on random
 * data of the right shape, after two untimed steps (shader compilation,
 * operator set-up), for about `budgetMs` or `maxSteps` steps.
 */
export async function measureSteps(shape: RaceShape, budgetMs: number, maxSteps = 60): Promise<number> {
  const sizes = layerSizes(shape.hiddenUnits);
  const { slots } = layout(sizes);
  const rng = mulberry32(7);
  const bs = shape.batchSize;
  const params = paramsFromFlat(initParams(sizes, rng), slots);
  const opt = new Optimizer(shape.optimizer, 1e-3, params);
  const pool = 4 * bs;
  const xHost = Float32Array.from({ length: pool * IMAGE_PIXELS }, () => rng() * 2 - 1);
  const yHost = Int32Array.from({ length: pool }, (_, i) => i % NUM_CLASSES);
  const onHost = hostMemoryBackend();
  const xDevice = onHost ? null : tf.tensor2d(xHost, [pool, IMAGE_PIXELS]);
  const yDevice = onHost ? null : tf.tensor1d(yHost, 'int32');
  const idx = new Int32Array(bs);
  const step = (s: number) => {
    const first = (s * bs) % pool;
    for (let i = 0; i < bs; i++) idx[i] = (first + i * 3) % pool;
    tf.tidy(() => {
      let g;
      if (onHost) {
        const x = tf.tensor2d(xHost.subarray(0, bs * IMAGE_PIXELS), [bs, IMAGE_PIXELS]);
        g = batchGradient(params, shape.activation, x, null, yHost.subarray(0, bs));
      } else {
        const i = tf.tensor1d(idx, 'int32');
        g = batchGradient(params, shape.activation, tf.gather(xDevice!, i) as tf.Tensor2D, tf.gather(yDevice!, i) as tf.Tensor1D, null);
      }
      opt.apply(params, g.grads);
    });
  };
  try {
    step(0);
    step(1);
    await params[0]!.data();
    const t0 = performance.now();
    let steps = 0;
    while (steps < maxSteps && performance.now() - t0 < budgetMs) step(2 + steps++);
    await params[0]!.data(); // GPUs: wait for the queued work
    return (steps * bs * 1000) / (performance.now() - t0);
  } finally {
    tf.dispose([...params, ...(xDevice ? [xDevice, yDevice!] : [])]);
    opt.dispose();
  }
}

// The verdicts' IndexedDB cache lives in raceVerdictStore.ts.
export { indexedDbCache } from './raceVerdictStore';
