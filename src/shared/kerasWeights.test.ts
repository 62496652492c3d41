import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPython } from '../../scripts/python/findPython';
import { KerasWeightsError, layersFilesOf, npzOf, readKerasNpz, stackFromArrays, type KerasStack } from './kerasWeights';
import { nonFiniteWeights, validateModelFiles } from './modelImport';
import type { NpyArray } from './npy';
import { writeNpz } from './npz';

const dir = mkdtempSync(join(tmpdir(), 'keras-'));
const forwardScript = new URL('../../scripts/python/npz_forward.py', import.meta.url).pathname;

/** Writes a tutorial-style .npz with numpy: random Dense weights, StandardScaler fitted on random "pixels". */
function numpyNpz(file: string, hidden: number[], extra = ''): void {
  runPython([
    '-c',
    `
import numpy as np
from sklearn.preprocessing import StandardScaler
rng = np.random.default_rng(3)
x = (rng.random((500, 784)) ** 4 * 255).round()
x[:, :30] = 0  # pixels that never vary: scale_ 1, as in MNIST's corners
scaler = StandardScaler().fit(x)
sizes = [784, ${hidden.join(', ')}${hidden.length ? ', ' : ''}10]
weights = []
for a, b in zip(sizes, sizes[1:]):
    weights += [rng.normal(0, 0.1, (a, b)).astype('float32'), rng.normal(0, 0.1, b).astype('float32')]
${extra}
np.savez('${file}', *weights, mean=scaler.mean_, scale=scaler.scale_)
`,
  ]);
}

/** The folded model's forward pass on 0..1 pixels, in float64: what the page computes after import. */
function foldedForward(stack: KerasStack, weights: ArrayBuffer, pixels: Uint8Array, n: number): number[][] {
  const w = new Float32Array(weights);
  const out: number[][] = [];
  for (let r = 0; r < n; r++) {
    let x = Array.from({ length: 784 }, (_, i) => pixels[r * 784 + i]! / 255);
    let off = 0;
    for (let l = 0; l + 1 < stack.sizes.length; l++) {
      const [inputs, units] = [stack.sizes[l]!, stack.sizes[l + 1]!];
      const y = Array.from({ length: units }, (_, u) => w[off + inputs * units + u]!);
      for (let i = 0; i < inputs; i++) for (let u = 0; u < units; u++) y[u]! += x[i]! * w[off + i * units + u]!;
      off += inputs * units + units;
      x = l + 2 < stack.sizes.length ? y.map((v) => Math.max(0, v)) : y;
    }
    const m = Math.max(...x);
    const e = x.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    out.push(e.map((v) => v / s));
  }
  return out;
}

const arr = (shape: number[], fill = 0.01): NpyArray => ({
  shape,
  dtype: 'float32',
  data: new Float32Array(shape.reduce((a, d) => a * d, 1)).fill(fill),
});
/** Arrays of a valid 784 → 8 → 10 model, with `change` applied. */
function arrays(change: (m: Map<string, NpyArray>) => void = () => {}): Map<string, NpyArray> {
  const m = new Map<string, NpyArray>([
    ['arr_0', arr([784, 8])],
    ['arr_1', arr([8])],
    ['arr_2', arr([8, 10])],
    ['arr_3', arr([10])],
    ['mean', arr([784], 30)],
    ['scale', arr([784], 70)],
  ]);
  change(m);
  return m;
}

describe('a tutorial .npz, in from Python', () => {
  it('reads numpy’s file and folds the normalisation in: the page’s model gives numpy’s probabilities', () => {
    const file = join(dir, 'tutorial.npz');
    numpyNpz(file, [64, 32]);
    const stack = readKerasNpz(new Uint8Array(readFileSync(file)));
    expect(stack.sizes).toEqual([784, 64, 32, 10]);
    const files = layersFilesOf(stack, 'relu');
    const check = validateModelFiles(files.modelJson, [{ name: files.weightsName, bytes: files.weights.byteLength }]);
    expect(check).toMatchObject({ ok: true, summary: '784 → 64 → 32 → 10' });
    expect(nonFiniteWeights(files.modelJson, files.weights)).toBeNull();

    const pixels = new Uint8Array(20 * 784).map((_, i) => ((i * 7919) % 997) % 256);
    writeFileSync(join(dir, 'pixels.u8'), pixels);
    const numpy = JSON.parse(runPython([forwardScript, file, join(dir, 'pixels.u8'), 'relu'])) as number[][];
    const page = foldedForward(stack, files.weights, pixels, 20);
    const diff = Math.max(...page.flatMap((row, r) => row.map((p, d) => Math.abs(p - numpy[r]![d]!))));
    expect(diff).toBeLessThan(1e-5);
  });

  it('writes the page’s weights in the same layout (float32 kernels and biases, float64 mean and scale)', () => {
    const sizes = [784, 3, 10];
    const params = Float32Array.from({ length: 784 * 3 + 3 + 30 + 10 }, (_, i) => i / 1000);
    const bytes = npzOf({ sizes, params, mean: new Float32Array(784).fill(33), scale: new Float32Array(784).fill(255) });
    const file = join(dir, 'page.npz');
    writeFileSync(file, bytes);
    const shapes = runPython([
      '-c',
      `import numpy as np, json; z = np.load('${file}'); print(json.dumps([[k, z[k].dtype.str, list(z[k].shape)] for k in z.files]))`,
    ]);
    expect(JSON.parse(shapes)).toEqual([
      ['arr_0', '<f4', [784, 3]],
      ['arr_1', '<f4', [3]],
      ['arr_2', '<f4', [3, 10]],
      ['arr_3', '<f4', [10]],
      ['mean', '<f8', [784]],
      ['scale', '<f8', [784]],
    ]);
    const back = readKerasNpz(bytes);
    expect(back.kernels[1]).toEqual(params.subarray(784 * 3 + 3, 784 * 3 + 3 + 30));
    expect(back.mean[5]).toBe(33);
  });

  it('refuses what is not a 784 → … → 10 Dense stack, saying why', () => {
    const cases: [Map<string, NpyArray>, RegExp][] = [
      [arrays((m) => m.set('arr_0', arr([8, 784]))), /arr_0 \(the first kernel\) has shape \(8, 784\): expected \(784, units\)/],
      [arrays((m) => m.set('arr_2', arr([9, 10]))), /arr_2 \(layer 2's kernel\) has shape \(9, 10\): expected \(8, units\)/],
      [arrays((m) => m.set('arr_1', arr([7]))), /arr_1 \(a bias\) has shape \(7,\): expected \(8,\)/],
      [
        arrays((m) => (m.set('arr_2', arr([8, 5])), m.set('arr_3', arr([5])))),
        /last layer \(arr_2\) has 5 units: a digit classifier needs 10/,
      ],
      [arrays((m) => m.delete('arr_3')), /3 weight arrays: each Dense layer has two/],
      [arrays((m) => m.delete('arr_1')), /arr_1 is missing/],
      [arrays((m) => m.delete('scale')), /no mean and scale: add mean=scaler\.mean_/],
      [arrays((m) => m.set('history', arr([3]))), /an array named history/],
      [new Map([['mean', arr([784])]]), /holds no weights/],
      [arrays((m) => m.set('mean', arr([28, 28]))), /mean has shape \(28, 28\): expected \(784,\)/],
      [arrays((m) => m.get('arr_2')!.data.fill(NaN, 17, 18)), /arr_2 holds NaN \(at index 17\)/],
      [arrays((m) => m.get('mean')!.data.fill(Infinity, 3, 4)), /mean holds an infinite number/],
      [arrays((m) => m.get('scale')!.data.fill(0, 100, 101)), /scale must be positive, but scale\[100\] is 0/],
      [
        arrays((m) => (m.set('arr_0', arr([784, 2000])), m.set('arr_1', arr([2000])))),
        /hidden layer 1 has 2,?000 units \(the page handles 1 to 1024\)/,
      ],
    ];
    for (const [input, reason] of cases) {
      expect(() => stackFromArrays(input), reason.source).toThrow(KerasWeightsError);
      expect(() => stackFromArrays(input), reason.source).toThrow(reason);
    }
    const deep = new Map<string, NpyArray>([
      ['mean', arr([784])],
      ['scale', arr([784], 1)],
    ]);
    const widths = [784, ...new Array<number>(9).fill(4), 10];
    widths.slice(1).forEach((u, l) => (deep.set(`arr_${2 * l}`, arr([widths[l]!, u])), deep.set(`arr_${2 * l + 1}`, arr([u]))));
    expect(() => stackFromArrays(deep)).toThrow(/9 hidden layers \(the page handles at most 8\)/);
    expect(stackFromArrays(arrays()).sizes).toEqual([784, 8, 10]);
  });

  it('refuses a damaged archive and a scale that overflows once folded, with the reason', () => {
    expect(() => readKerasNpz(new Uint8Array([0x50, 0x4b, 3, 4]))).toThrow(KerasWeightsError);
    const a = arrays((m) => m.get('scale')!.data.fill(1e-38, 0, 1));
    const entries = [...a].map(([key, v]) => ({ key, shape: v.shape, data: v.data as Float32Array }));
    entries.find((e) => e.key === 'arr_0')!.data.fill(1e30);
    const stack = readKerasNpz(writeNpz(entries));
    expect(() => layersFilesOf(stack, 'relu')).toThrow(/overflow/);
  });
});
