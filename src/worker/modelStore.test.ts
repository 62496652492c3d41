import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import 'fake-indexeddb/auto';
import { onStoreChange, type StoreChange } from '../shared/browserStorage';
import { nonFiniteWeights, validateModelFiles } from '../shared/modelImport';
import { Engine, EngineError } from './engine';
import { artifactIds, deleteModel, exportModel, listModels, parseModelFiles, readSavedModel, saveModel } from './modelStore';

/** A random 784-32-10 softmax model, like one a user might import. */
function randomModel(seed: number): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [784], kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return m;
}

const digit = new Float32Array(784).map((_, i) => (i % 28 > 10 && i % 28 < 16 ? 0.9 : 0));

/** Loads a layers model into a fresh engine, as the worker does. */
async function engineWith(model: tf.LayersModel): Promise<Engine> {
  const e = new Engine(() => {});
  await e.loadLayersModel(model, { source: 'imported', description: 'test', config: null, testAccuracy: null });
  return e;
}

describe('export and import', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('round-trips a model through model.json + weights with identical predictions', async () => {
    const src = randomModel(1);
    const a = await engineWith(src);
    src.dispose();
    const layers = await a.toLayersModel();
    const files = await exportModel(layers, { name: 'test' });
    layers.dispose();
    const check = validateModelFiles(files.modelJson, [{ name: files.weightsName, bytes: files.weights.byteLength }]);
    expect(check).toMatchObject({ ok: true, summary: '784 → 32 → 10' });
    expect(files.weights.byteLength).toBe((784 * 32 + 32 + 32 * 10 + 10) * 4);
    const parsed = await parseModelFiles(files);
    expect(parsed.summary).toBe('784 → 32 → 10');
    const b = await engineWith(parsed.model);
    parsed.model.dispose();
    const pa = (await a.predict(digit)).probs;
    const pb = (await b.predict(digit)).probs;
    expect(pa).not.toBeNull();
    expect(Array.from(pb!)).toEqual(Array.from(pa!).map((v) => expect.closeTo(v, 6)));
    a.dispose();
    b.dispose();
  });

  it('refuses a model of the wrong shape, or with NaN/Infinity weights, before tf sees it', async () => {
    const src = randomModel(3);
    const files = await exportModel(src, {});
    src.dispose();
    const json = JSON.parse(files.modelJson);
    json.modelTopology.config.layers[0].config.batch_input_shape = [null, 100];
    await expect(parseModelFiles({ ...files, modelJson: JSON.stringify(json) })).rejects.toThrow(
      /not a 784→10 classifier: input shape \[null,100\]/,
    );
    await expect(parseModelFiles({ ...files, modelJson: '{"format": "layers-model", ' })).rejects.toBeInstanceOf(EngineError);
    await expect(parseModelFiles({ ...files, weights: files.weights.slice(0, 100) })).rejects.toThrow(EngineError);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const weights = files.weights.slice(0);
      new Float32Array(weights)[784 * 32 + 5] = bad; // a bias of the first layer
      expect(nonFiniteWeights(files.modelJson, weights)).toMatch(/weight dense_\w+\/bias holds (NaN|an infinite number)/);
      await expect(parseModelFiles({ ...files, weights })).rejects.toThrow(/NaN|infinite/);
    }
    expect(nonFiniteWeights(files.modelJson, files.weights)).toBeNull();
  });

  it('refuses NaN weights that reach the engine some other way, keeping the current model', async () => {
    const good = randomModel(4);
    const e = await engineWith(good);
    const before = await e.predict(digit);
    const bad = randomModel(5);
    bad.layers[1]!.setWeights([tf.fill([32, 10], NaN), tf.zeros([10])]);
    await expect(e.loadLayersModel(bad, { source: 'imported', description: 'bad', config: null, testAccuracy: null })).rejects.toThrow(
      /NaN or infinite/,
    );
    const after = await e.predict(digit);
    expect(after.version).toBe(before.version);
    expect(Array.from(after.probs!)).toEqual(Array.from(before.probs!));
    good.dispose();
    bad.dispose();
    e.dispose();
  });
});

describe('saved models in IndexedDB', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('saves, lists, reads back and deletes a model', async () => {
    const src = randomModel(7);
    const info = await saveModel(src, '  my model  ', null, 0.9);
    expect(info.name).toBe('my model');
    expect((await listModels()).map((m) => m.id)).toContain(info.id);
    expect(await artifactIds()).toContain(info.id);
    const { model } = await readSavedModel(info.id);
    const x = tf.tensor2d(digit, [1, 784]);
    const [p, q] = [src.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor];
    expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()).map((v) => expect.closeTo(v, 6)));
    tf.dispose([x, p, q]);
    model.dispose();
    await deleteModel(info.id);
    expect((await listModels()).map((m) => m.id)).not.toContain(info.id);
    expect(await artifactIds()).not.toContain(info.id);
    await expect(readSavedModel(info.id)).rejects.toThrow(/no longer exists/);
    src.dispose();
  });

  it('is all-or-nothing: a failure between the two writes leaves neither a catalogue entry nor an orphan', async () => {
    const src = randomModel(8);
    const listed = (await listModels()).length;
    const stored = (await artifactIds()).length;
    await expect(saveModel(src, 'doomed', null, null, { abortAfterCatalogue: true })).rejects.toMatchObject({ code: 'storage' });
    expect(await listModels()).toHaveLength(listed);
    expect(await artifactIds()).toHaveLength(stored);
    // And a failed delete keeps both halves.
    const kept = await saveModel(src, 'kept', null, null);
    await expect(deleteModel(kept.id, { abortAfterCatalogue: true })).rejects.toMatchObject({ code: 'storage' });
    expect((await listModels()).map((m) => m.id)).toContain(kept.id);
    expect(await artifactIds()).toContain(kept.id);
    await deleteModel(kept.id);
    src.dispose();
  });
});

describe('saved models shared by every tab, and a full disk', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('announces every save and delete to all tabs; a model deleted elsewhere is not half-read, and its entry goes everywhere', async () => {
    const heard: StoreChange[] = [];
    const stop = onStoreChange('models', (c) => heard.push(c));
    const src = randomModel(9);
    const info = await saveModel(src, 'shared', null, null);
    await vi.waitFor(() => expect(heard).toEqual([{ store: 'models', change: 'saved', key: info.id }]));
    // Another tab deletes it (same database); this tab then tries to load it.
    await deleteModel(info.id);
    await vi.waitFor(() => expect(heard.at(-1)).toEqual({ store: 'models', change: 'deleted', key: info.id }));
    await expect(readSavedModel(info.id)).rejects.toMatchObject({ code: 'model', message: expect.stringMatching(/no longer exists/) });
    await vi.waitFor(() => expect(heard.at(-1)).toEqual({ store: 'models', change: 'missing', key: info.id }));
    expect((await listModels()).map((m) => m.id)).not.toContain(info.id);
    stop();
    src.dispose();
  });

  it('a full disk on save says what to delete, writes nothing and keeps what was saved before', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 38_000_000, quota: 38_100_000 }) } });
    const src = randomModel(10);
    const before = await saveModel(src, 'before', null, 0.95);
    const listed = (await listModels()).map((m) => m.id);
    const stored = await artifactIds();
    const failure = await saveModel(src, 'too much', null, null, { quota: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EngineError);
    expect(failure).toMatchObject({
      code: 'storage',
      message:
        'Storage is full: delete saved models or some of your digits (this page uses 38 MB). “too much” was not saved; nothing stored before was lost.',
    });
    expect((await listModels()).map((m) => m.id)).toEqual(listed);
    expect(await artifactIds()).toEqual(stored);
    const { model } = await readSavedModel(before.id);
    model.dispose();
    await deleteModel(before.id);
    vi.unstubAllGlobals();
    src.dispose();
  });
});
