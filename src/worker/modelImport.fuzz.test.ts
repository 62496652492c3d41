/**
 * Fuzzing the worker's side of a model import (fast-check): mutated model.json files that pass the
 * page's check (src/shared/modelImport.fuzz.test.ts holds them) go on to tf, which builds the model,
 * and to the engine, which reads it. Each either becomes the current model or is refused with an
 * EngineError ('model') and a sentence; never another exception, never a tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { mutatedModelJson, quickAsync, shippedModelJson as shippedJson, shippedModelWeights as shippedWeights } from '../../scripts/fuzz';
import { validateModelFiles } from '../shared/modelImport';
import { Engine, EngineError } from './engine';
import { parseModelFiles } from './modelStore';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The shipped weights, cut or padded to `bytes`, with random noise in the extra bytes. */
function weightsOf(bytes: number, seed: number): ArrayBuffer {
  const out = new Uint8Array(bytes);
  out.set(new Uint8Array(shippedWeights.buffer, shippedWeights.byteOffset, Math.min(bytes, shippedWeights.length)));
  for (let i = shippedWeights.length; i < bytes; i++) out[i] = (i * 131 + seed) & 255;
  return out.buffer;
}

async function importOrRefuse(modelJson: string, weights: ArrayBuffer): Promise<'loaded' | 'refused'> {
  const engine = new Engine(() => {});
  const before = tf.memory().numTensors;
  try {
    const { model } = await quickAsync(() => parseModelFiles({ modelJson, weights, weightsName: 'model.weights.bin' }));
    try {
      await quickAsync(() => engine.loadLayersModel(model, { source: 'imported', description: 'fuzz', config: null, testAccuracy: null }));
    } finally {
      model.dispose();
    }
    return 'loaded';
  } catch (e) {
    if (!(e instanceof EngineError)) throw new Error(`not an EngineError: ${String(e)}`, { cause: e });
    expect(e.code).toBe('model');
    expect(e.message.length).toBeGreaterThan(5);
    return 'refused';
  } finally {
    engine.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }
}

describe('a model import in the worker, fuzzed', () => {
  it('loads the shipped model', async () => {
    expect(await importOrRefuse(shippedJson, weightsOf(shippedWeights.length, 0))).toBe('loaded');
  });

  it('loads or refuses every mutated model.json the page lets through, with weights of the size it describes (3,000 mutants; each builds a model in tf)', async () => {
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(mutatedModelJson, fc.integer(), async (text, seed) => {
        const check = validateModelFiles(text, [{ name: 'model.weights.bin', bytes: shippedWeights.length }]);
        const bytes = check.ok ? check.weightBytes : shippedWeights.length;
        if (!validateModelFiles(text, [{ name: 'model.weights.bin', bytes }]).ok) return;
        reached++;
        await importOrRefuse(text, weightsOf(bytes, seed));
      }),
      { numRuns: 3000 },
    );
    expect(reached).toBeGreaterThan(500);
  });

  it('refuses model.json that the page would refuse too, if it reaches the worker some other way (3,000 inputs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedModelJson, fc.string({ maxLength: 200 })), async (text) => {
        await importOrRefuse(text, weightsOf(shippedWeights.length, 1));
      }),
      { numRuns: 3000 },
    );
  });
});
