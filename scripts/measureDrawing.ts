/**
 * Measurements behind the drawing pad's choices, with the shipped model in Node
 * (tf cpu backend): `npx tsx scripts/measureDrawing.ts [--n 10000]`.
 *
 * 1. MNIST's pen width: total ink / skeleton length of every test digit, px in the 20-px box.
 * 2. Size independence: MNIST test digits redrawn as strokes (skeleton traced, see
 *    mnistStrokes.ts) at 20%, 35%, 70% and 95% of a 320-px pad, off-centre, read through
 *    strokesToInput with the proportional pen (the pad's) and with the old fixed pen
 *    (8% of the pad, rasterised at 280 px).
 * 3. Verdicts (verdict.ts) on the MNIST test digits, the redrawn ones, and on dots, lines,
 *    crosses and scribbles drawn through strokesToInput.
 */
import { loadReferenceModel, mnistTest } from './referenceModel';
import { mnistToStrokes, placeStrokes, strokeLength } from './mnistStrokes';
import { junkSets } from './junkStrokes';
import { readFileSync } from 'node:fs';
import { strokesToInput, type PenModel } from '../src/drawing/strokeInput';
import { decodeDigitShapes } from '../src/drawing/digitShapes';
import { verdict, type VerdictKind } from '../src/drawing/verdict';
import type { Stroke } from '../src/drawing/strokes';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 10000);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] as number;

const test = mnistTest();
const { classify } = await loadReferenceModel();
const digits: Stroke[][] = [];
const widths: number[] = [];
for (let i = 0; i < N; i++) {
  const px = test.pixels.subarray(i * 784, i * 784 + 784);
  const strokes = mnistToStrokes(px);
  digits.push(strokes);
  widths.push(px.reduce((s, v) => s + v / 255, 0) / strokeLength(strokes));
}
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

// 3. Verdicts.
const shapes = decodeDigitShapes(JSON.parse(readFileSync(new URL('../public/models/digit-shapes.json', import.meta.url), 'utf8')));
function verdictRow(name: string, inputs: Float32Array[]): void {
  const batch = new Float32Array(inputs.length * 784);
  inputs.forEach((x, i) => batch.set(x, i * 784));
  const p = classify(batch);
  const count: Record<VerdictKind, number> = { digit: 0, unsure: 0, 'not-a-digit': 0 };
  const reasons = new Map<string, number>();
  inputs.forEach((x, i) => {
    const v = verdict(p.subarray(i * 10, i * 10 + 10), x, shapes);
    count[v.kind]++;
    if (v.reason) reasons.set(v.reason, (reasons.get(v.reason) ?? 0) + 1);
  });
  const n = inputs.length;
  const why = [...reasons]
    .sort((a, b) => b[1] - a[1])
    .map(([r, c]) => `${r} ${c}`)
    .join(', ');
  console.log(`| ${name} | ${n} | ${pct(count.digit / n)} | ${pct(count.unsure / n)} | ${pct(count['not-a-digit'] / n)} | ${why} |`);
}
console.log(
  '\nVerdicts, shipped model\n| input | n | digit | unsure | not-a-digit | not-a-digit reasons |\n| --- | ---: | ---: | ---: | ---: | --- |',
);
verdictRow(
  'MNIST test digits (original images)',
  Array.from({ length: N }, (_, i) => original.subarray(i * 784, i * 784 + 784)),
);
const asStrokes = redrawn(0.5);
verdictRow(
  'MNIST test digits redrawn as strokes (50% of the pad)',
  Array.from({ length: N }, (_, i) => asStrokes.subarray(i * 784, i * 784 + 784)),
);
for (const [name, drawings] of Object.entries(junkSets(200)))
  verdictRow(
    name,
    drawings.map((s) => strokesToInput(s) ?? new Float32Array(784)),
  );
