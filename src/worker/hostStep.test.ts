/**
 * The tf.js path's two CPU steps against each other: the cpu backend's (loss
 * head, activation gradients and the optimizer as JS loops on the tensors' own
 * memory) and the tf-ops step on tf.js's WASM backend (what trains on WASM in a
 * browser without WebAssembly SIMD), in Node: both must take the same steps.
 * (A whole run on the wasm backend trains on the kernel: kernel/kernelEngine.test.ts.)
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { batchGradient, initParams, layout, Optimizer, paramsFromFlat } from './mlp';
import { mulberry32 } from './split';

const sizes = [784, 16, 12, 10];
const batch = 8;
const rng = mulberry32(11);
const xs = Float32Array.from({ length: 6 * batch * 784 }, () => rng() * 2 - 1);
const ys = Int32Array.from({ length: 6 * batch }, (_, i) => (i * 7) % 10);

/** Params after `steps` Adam steps of the host path on `backend`, with each step's [lossSum, correct]. */
async function train(backend: string, activation: 'relu' | 'tanh', steps: number) {
  await tf.setBackend(backend);
  await tf.ready();
  const { slots } = layout(sizes);
  const params = paramsFromFlat(initParams(sizes, mulberry32(3)), slots);
  const opt = new Optimizer('adam', 0.01, params);
  const stats: number[][] = [];
  for (let s = 0; s < steps; s++) {
    const k = s % 6;
    tf.tidy(() => {
      const x = tf.tensor2d(xs.subarray(k * batch * 784, (k + 1) * batch * 784), [batch, 784]);
      const g = batchGradient(params, activation, x, null, ys.subarray(k * batch, (k + 1) * batch));
      opt.apply(params, g.grads);
      const st = g.stats as unknown;
      stats.push(st instanceof tf.Tensor ? Array.from(st.dataSync()) : [...(st as readonly number[])]);
    });
  }
  const out = params.map((p) => p.dataSync().slice());
  tf.dispose(params);
  opt.dispose();
  return { out, stats };
}

describe('the training step on cpu (host loops) and WASM (tf ops)', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(['relu', 'tanh'] as const)('takes the same steps on WASM as on cpu (%s)', async (activation) => {
    const cpu = await train('cpu', activation, 12);
    const wasm = await train('wasm', activation, 12);
    expect(wasm.stats.length).toBe(12);
    wasm.stats.forEach(([loss, correct], i) => {
      expect(loss).toBeCloseTo(cpu.stats[i]![0]!, 3);
      expect(correct).toBe(cpu.stats[i]![1]);
    });
    wasm.out.forEach((p, i) => {
      let d = 0;
      for (let j = 0; j < p.length; j++) d = Math.max(d, Math.abs(p[j]! - cpu.out[i]![j]!));
      expect(d).toBeLessThan(1e-4);
    });
    // The loss went down: the steps are real steps.
    expect(wasm.stats.at(-1)![0]!).toBeLessThan(wasm.stats[0]![0]!);
  });
});
