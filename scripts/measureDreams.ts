/**
 * Dreams of models trained with the app's own engine in Node, for several shapes,
 * seeds and backends: each class's dream and the model's confidence in its own class.
 * `npx tsx scripts/measureDreams.ts [--backend wasm|cpu] [--quick]`
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_CONFIG, type TrainConfig } from '../src/shared/trainConfig';
import { Engine } from '../src/worker/engine';
import { DEFAULT_TIMING } from '../src/worker/trainingRun';
import { dream, pixelStats } from '../src/worker/dreams';
import { mnistSplit } from './mnistSplit';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};
const backend = arg('backend', 'wasm');
const require = createRequire(import.meta.url);
setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
await tf.setBackend(backend);

const data = { train: mnistSplit('train', 30000), test: mnistSplit('test', 1000) };
const stats = pixelStats(data.train.images, 10000);
const runs: Partial<TrainConfig>[] = process.argv.includes('--quick')
  ? [{ trainSize: 6000, epochs: 1 }]
  : [
      { trainSize: 6000, epochs: 1 },
      { trainSize: 6000, epochs: 1, seed: 1 },
      { trainSize: 24000, epochs: 2, hiddenUnits: [128, 64] },
      { trainSize: 24000, epochs: 2, hiddenUnits: [128, 64], seed: 7 },
      { trainSize: 6000, epochs: 2, hiddenUnits: [32] },
      { trainSize: 6000, epochs: 1, hiddenUnits: [256, 128, 64] },
      { trainSize: 6000, epochs: 1, activation: 'elu', dropout: 0.2 },
      { trainSize: 6000, epochs: 2, optimizer: 'sgd', learningRate: 0.05 },
      { trainSize: 6000, epochs: 1, activation: 'tanh' },
      { trainSize: 6000, epochs: 1, normalization: 'unit' },
      { trainSize: 24000, epochs: 3 },
    ];
for (const r of runs) {
  const e = new Engine(() => {}, { ...DEFAULT_TIMING, firstLayerMs: 1e9 });
  e.setData(data);
  const config: TrainConfig = { ...DEFAULT_CONFIG, backend: backend as TrainConfig['backend'], ...r };
  await e.train(config, false);
  const model = await e.toLayersModel();
  const out = await dream(model, { start: stats.mean, pixelScale: stats.spread });
  model.dispose();
  e.dispose();
  const c = out.confidences;
  console.log(`${backend} ${JSON.stringify(r)}: min ${Math.min(...c).toFixed(3)} | ${c.map((v) => (v * 100).toFixed(0)).join(' ')}`);
}
