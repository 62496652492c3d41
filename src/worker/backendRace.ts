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
import { DEFAULT_CONFIG, type TrainConfig } from '../shared/trainConfig';
import type { SplitData } from './dataset';
import { disposeSplit, uploadSplit } from './deviceData';
import { kernelModule } from './kernel/kernelModule';
import { KernelStepper } from './kernel/kernelStepper';
import { initParams, layerSizes, layout, Optimizer, paramsFromFlat } from './mlp';
import { fitNormalizer, mulberry32, permutation } from './split';
import type { Stepper } from './stepper';
import { TfStepper } from './tfStepper';
import { trainPathFor, type KernelMode } from './trainPath';

/** What of a configuration decides a step's cost (not its data size or epochs). */
export type RaceShape = Pick<TrainConfig, 'hiddenUnits' | 'batchSize' | 'activation' | 'optimizer'>;

/** Bumped when the engine's speed changes enough that old verdicts mislead (2: WASM trains on the SIMD kernel). */
const RACE_VERSION = 2;

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
 * Synthetic training images for the race: bytes with about as much ink as MNIST's (19% of the
 * pixels non-zero), since the kernel's sparse first layer costs what the ink costs.
 */
export function raceImages(count: number, seed = 7): SplitData {
  const rng = mulberry32(seed);
  const images = new Uint8Array(count * IMAGE_PIXELS);
  for (let i = 0; i < images.length; i++) if (rng() < 0.19) images[i] = 1 + Math.floor(rng() * 255);
  return { count, images, labels: Uint8Array.from({ length: count }, (_, i) => i % NUM_CLASSES) };
}

/**
 * Samples per second of real training steps of `shape` on the active backend, through the
 * stepper a run would use there (trainPath.ts: the WASM SIMD kernel on wasm, tf.js elsewhere,
 * with its batches assembled on the host or gathered on the device as a run does), on
 * synthetic images of MNIST's sparsity, after two untimed steps (shader compilation, operator
 * set-up, the JIT), for about `budgetMs` or `maxSteps` steps.
 */
export async function measureSteps(shape: RaceShape, budgetMs: number, maxSteps = 60, mode: KernelMode = 'auto'): Promise<number> {
  const sizes = layerSizes(shape.hiddenUnits);
  const { slots } = layout(sizes);
  const bs = shape.batchSize;
  const pool = 4 * bs;
  const data = raceImages(pool);
  const all = Int32Array.from({ length: pool }, (_, i) => i);
  const norm = fitNormalizer(data.images, all, 'standardize');
  const config = { ...DEFAULT_CONFIG, ...shape, hiddenUnits: [...shape.hiddenUnits] };
  const weights = initParams(sizes, mulberry32(7));
  const path = trainPathFor(tf.getBackend(), mode);
  let stepper: Stepper;
  let free: () => void;
  if (path !== 'tfjs') {
    stepper = new KernelStepper({
      module: await kernelModule(),
      sizes,
      activation: shape.activation,
      norm,
      config,
      sparse: path === 'kernel-sparse',
      weights,
      optimizer: null,
      train: { images: data.images, labels: data.labels, rows: null, count: pool },
      validation: null,
      augmenter: null,
      commit: () => {},
    });
    free = () => stepper.dispose();
  } else {
    const params = paramsFromFlat(weights, slots);
    const optimizer = new Optimizer(shape.optimizer, config.learningRate, params);
    const train = uploadSplit(data, all, norm, true);
    stepper = new TfStepper({ params, optimizer, activation: shape.activation, norm, config, train, validation: null, augmenter: null });
    free = () => {
      stepper.dispose();
      disposeSplit(train);
      tf.dispose(params);
      optimizer.dispose();
    };
  }
  try {
    stepper.startEpoch(permutation(pool, mulberry32(3)), 0);
    const start = (s: number) => (s * bs) % (pool - bs + 1);
    stepper.step(start(0), bs);
    stepper.step(start(1), bs);
    await stepper.readStats();
    const t0 = performance.now();
    let steps = 0;
    while (steps < maxSteps && performance.now() - t0 < budgetMs) stepper.step(start(2 + steps++), bs);
    await stepper.readStats(); // GPUs: wait for the queued work
    return (steps * bs * 1000) / (performance.now() - t0);
  } finally {
    free();
  }
}

// The verdicts' IndexedDB cache lives in raceVerdictStore.ts.
export { indexedDbCache } from './raceVerdictStore';
