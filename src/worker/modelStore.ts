/**
 * Saved models in IndexedDB (through `idb` and shared/browserStorage.ts), all-or-nothing:
 * one database with a catalogue store (name, date, hyperparameters, test accuracy) and an
 * artifacts store (TF.js layers-format topology + weights), both written or deleted in one
 * transaction, so a failure leaves neither an orphan nor a dangling entry. Every save and
 * delete is announced to all tabs; a full disk gets a sentence saying what to delete.
 * Also export to and import from model.json + weights. Saved and exported
 * models take pixels in [0, 1] (normalisation folded in).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelFiles, SavedModelInfo } from '../shared/protocol';
import { nonFiniteWeights, validateModelFiles } from '../shared/modelImport';
import { announceChange, cachedDatabase, storageFailure, type DBSchema, type IDBPTransaction } from '../shared/browserStorage';
import { EngineError } from './errors';

/** File name of the weights in an export; model.json refers to it. */
export const EXPORT_WEIGHTS_NAME = 'model.weights.bin';

/** A saved model's layers-format artifacts. */
export interface StoredArtifacts {
  id: string;
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

interface ModelDb extends DBSchema {
  models: { key: string; value: SavedModelInfo };
  artifacts: { key: string; value: StoredArtifacts };
}

const database = cachedDatabase<ModelDb>('mnist-playground', 2, (db) => {
  if (!db.objectStoreNames.contains('models')) db.createObjectStore('models', { keyPath: 'id' });
  if (!db.objectStoreNames.contains('artifacts')) db.createObjectStore('artifacts', { keyPath: 'id' });
});

const MAKE_ROOM = 'delete saved models or some of your digits';

/** A storage failure as the worker's error reply: what happened, what to delete (quota), nothing written. */
async function storageError(e: unknown, what: string): Promise<EngineError> {
  if (e instanceof EngineError) return e;
  return new EngineError('storage', (await storageFailure(e, what, MAKE_ROOM)).message);
}

/** Saved models, newest first. */
export async function listModels(): Promise<SavedModelInfo[]> {
  try {
    const all = await (await database()).getAll('models');
    return all.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  } catch (e) {
    throw await storageError(e, 'The saved models could not be listed');
  }
}

/** The artifacts of a layers model, captured in memory. */
export async function artifactsOf(model: tf.LayersModel): Promise<Omit<StoredArtifacts, 'id'>> {
  let captured: Omit<StoredArtifacts, 'id'> | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData ?? new ArrayBuffer(0);
      captured = {
        modelTopology: artifacts.modelTopology as object,
        weightSpecs: artifacts.weightSpecs ?? [],
        weightData: Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data,
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new EngineError('model', 'The model could not be serialised.');
  return captured;
}

/** Test hooks: make a write fail between its two puts (or with a full quota), to check that nothing is left behind. */
export interface StoreFaults {
  abortAfterCatalogue?: boolean;
  /** The artifacts' put fails as a full disk would (QuotaExceededError). */
  quota?: boolean;
}

/**
 * Runs `fn`'s writes in one transaction over both stores; resolves when it commits, rejects
 * (having written nothing) when it aborts. `fn` hands every request's promise to `track`:
 * an aborted transaction rejects them all, and each must be awaited.
 */
async function writeBoth(
  fn: (tx: IDBPTransaction<ModelDb, ('models' | 'artifacts')[], 'readwrite'>, track: (p: Promise<unknown>) => void) => void,
): Promise<void> {
  const tx = (await database()).transaction(['models', 'artifacts'], 'readwrite');
  const writes: Promise<unknown>[] = [];
  try {
    fn(tx, (p) => writes.push(p));
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // Already aborted by the browser (a full disk, say): its error is the one to report.
    }
    await Promise.allSettled([tx.done, ...writes]);
    throw tx.error ?? e;
  }
  const settled = await Promise.allSettled([tx.done, ...writes]);
  const failed = settled.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw tx.error ?? failed.reason;
}

/** Saves a layers model under `name`, catalogue entry and artifacts in one transaction; every tab hears of it. */
export async function saveModel(
  model: tf.LayersModel,
  name: string,
  config: SavedModelInfo['config'],
  testAccuracy: number | null,
  faults: StoreFaults = {},
): Promise<SavedModelInfo> {
  const clean = name.trim().slice(0, 80);
  if (!clean) throw new EngineError('model', 'Give the model a name to save it.');
  const id = `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const artifacts = await artifactsOf(model);
  const info: SavedModelInfo = { id, name: clean, savedAt: new Date().toISOString(), config, testAccuracy };
  try {
    await writeBoth((tx, track) => {
      track(tx.objectStore('models').put(info));
      if (faults.abortAfterCatalogue) throw new Error('simulated failure between the two writes');
      if (faults.quota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      track(tx.objectStore('artifacts').put({ id, ...artifacts } satisfies StoredArtifacts));
    });
  } catch (e) {
    throw await storageError(e, `“${clean}” was not saved`);
  }
  announceChange({ store: 'models', change: 'saved', key: id });
  return info;
}

/**
 * A saved model's catalogue entry and a layers model built from its artifacts, both read in one
 * transaction (a model deleted in another tab meanwhile is either read whole or not found); the
 * caller disposes the model. A model that is gone is announced, so every tab drops its entry.
 */
export async function readSavedModel(id: string): Promise<{ info: SavedModelInfo; model: tf.LayersModel }> {
  let info: SavedModelInfo | undefined;
  let artifacts: StoredArtifacts | undefined;
  try {
    const tx = (await database()).transaction(['models', 'artifacts'], 'readonly');
    [info, artifacts] = await Promise.all([tx.objectStore('models').get(id), tx.objectStore('artifacts').get(id), tx.done]);
  } catch (e) {
    throw await storageError(e, 'The saved model could not be read');
  }
  if (!info) {
    announceChange({ store: 'models', change: 'missing', key: id });
    throw new EngineError('model', 'That saved model no longer exists (deleted in another tab?); it is gone from the list.');
  }
  try {
    // Models saved before version 2 of the database kept their artifacts in TF.js's own IndexedDB store.
    const source = artifacts
      ? tf.io.fromMemory({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs, weightData: artifacts.weightData })
      : `indexeddb://mnist-playground/${id}`;
    const model = await tf.loadLayersModel(source);
    return { info, model };
  } catch (e) {
    throw new EngineError('model', `The saved model "${info.name}" could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Deletes a saved model: catalogue entry and artifacts in one transaction; every tab hears of it. */
export async function deleteModel(id: string, faults: StoreFaults = {}): Promise<void> {
  try {
    await writeBoth((tx, track) => {
      track(tx.objectStore('models').delete(id));
      if (faults.abortAfterCatalogue) throw new Error('simulated failure between the two deletes');
      track(tx.objectStore('artifacts').delete(id));
    });
  } catch (e) {
    throw await storageError(e, 'The model was not deleted');
  }
  announceChange({ store: 'models', change: 'deleted', key: id });
}

/** Ids of stored artifacts (tests: no orphans). */
export async function artifactIds(): Promise<string[]> {
  return (await (await database()).getAllKeys('artifacts')).map(String);
}

/** A layers model as model.json + one weights file (TF.js layers format). */
export async function exportModel(model: tf.LayersModel, metadata: Record<string, unknown>): Promise<ModelFiles> {
  const artifacts = await artifactsOf(model);
  const json = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [`./${EXPORT_WEIGHTS_NAME}`], weights: artifacts.weightSpecs }],
    userDefinedMetadata: { ...metadata, input: 'pixels in [0, 1], white ink on black, [batch, 784]' },
  };
  return { modelJson: JSON.stringify(json), weights: artifacts.weightData, weightsName: EXPORT_WEIGHTS_NAME };
}

/**
 * `topology` with every initializer Zeros, and no regularizers or constraints: the weights come from
 * the file, and a hostile initializer can hang tf (a VarianceScaling of scale {} draws NaN from a
 * truncated normal forever: found by fuzzing). JSON in, JSON out.
 */
export function withoutInitializers(topology: unknown): unknown {
  if (Array.isArray(topology)) return topology.map(withoutInitializers);
  if (topology === null || typeof topology !== 'object') return topology;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(topology)) {
    if (k.endsWith('_initializer')) out[k] = { class_name: 'Zeros', config: {} };
    else if (k.endsWith('_regularizer') || k.endsWith('_constraint')) out[k] = null;
    else out[k] = withoutInitializers(v);
  }
  return out;
}

/**
 * Checks model files (as exported, or from another TF.js app) and builds a layers model from them;
 * nothing reaches tf before the files pass the same checks the page makes, finiteness included.
 * @throws EngineError 'model' saying why the files are refused.
 */
export async function parseModelFiles(files: ModelFiles): Promise<{ model: tf.LayersModel; summary: string }> {
  const check = validateModelFiles(files.modelJson, [{ name: files.weightsName, bytes: files.weights.byteLength }]);
  if (!check.ok) throw new EngineError('model', check.reason);
  const nonFinite = nonFiniteWeights(files.modelJson, files.weights);
  if (nonFinite) throw new EngineError('model', nonFinite);
  const json = JSON.parse(files.modelJson) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  // Built in two steps, each cleaning up after itself (tf.loadLayersModel leaks both the variables of
  // a model it could not finish building and the decoded weights it could not set: found by fuzzing).
  // Imports run alone (an exclusive command), so no other variable appears meanwhile.
  const variablesBefore = new Set(Object.keys(tf.engine().registeredVariables));
  let model: tf.LayersModel | null = null;
  let weights: tf.NamedTensorMap | null = null;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: withoutInitializers(json.modelTopology) } as tf.io.ModelJSON);
    // In a tidy: a manifest it cannot read (a weight named by an object, found by fuzzing) throws half-way, after some tensors were made.
    weights = tf.tidy(() =>
      tf.io.decodeWeights(
        files.weights,
        json.weightsManifest.flatMap((g) => g.weights),
      ),
    );
    model.loadWeights(weights, true);
    return { model, summary: check.summary };
  } catch (e) {
    model?.dispose();
    for (const [name, v] of Object.entries(tf.engine().registeredVariables)) if (!variablesBefore.has(name)) v.dispose();
    model = null;
    throw new EngineError('model', `The model could not be built from these files: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    if (weights) tf.dispose(Object.values(weights));
  }
}

/** Loads the model shipped with the app from our own server, with its metadata (training command, test accuracy). */
export async function readBundledModel(url: string): Promise<{ model: tf.LayersModel; metadata: Record<string, unknown> }> {
  try {
    const model = await tf.loadLayersModel(url);
    const res = await fetch(url).catch(() => null);
    const json = (await res?.json().catch(() => null)) as { userDefinedMetadata?: Record<string, unknown> } | null;
    return { model, metadata: json?.userDefinedMetadata ?? {} };
  } catch (e) {
    throw new EngineError('model', `The pre-trained model could not be loaded (${e instanceof Error ? e.message : String(e)}).`);
  }
}
