/**
 * Saved models in IndexedDB, all-or-nothing: one database with a catalogue
 * store (name, date, hyperparameters, test accuracy) and an artifacts store
 * (TF.js layers-format topology + weights), both written or deleted in one
 * transaction, so a failure leaves neither an orphan nor a dangling entry.
 * Also export to and import from model.json + weights. Saved and exported
 * models take pixels in [0, 1] (normalisation folded in).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelFiles, SavedModelInfo } from '../shared/protocol';
import { nonFiniteWeights, validateModelFiles } from '../shared/modelImport';
import { EngineError } from './errors';

const DB_NAME = 'mnist-playground';
const DB_VERSION = 2;
const CATALOGUE = 'models';
const ARTIFACTS = 'artifacts';
/** File name of the weights in an export; model.json refers to it. */
export const EXPORT_WEIGHTS_NAME = 'model.weights.bin';

/** A saved model's layers-format artifacts. */
export interface StoredArtifacts {
  id: string;
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new EngineError('storage', 'This browser offers no IndexedDB here (private mode?): models cannot be saved.'));
      return;
    }
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(CATALOGUE)) db.createObjectStore(CATALOGUE, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(ARTIFACTS)) db.createObjectStore(ARTIFACTS, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new EngineError('storage', `IndexedDB could not be opened: ${req.error?.message ?? 'unknown error'}`));
  });
}

/** Runs `fn` in one transaction over both stores; resolves when it commits, rejects (having written nothing) when it aborts. */
async function transaction<T>(mode: IDBTransactionMode, fn: (tx: IDBTransaction) => () => T): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction([CATALOGUE, ARTIFACTS], mode);
      let result: () => T = () => undefined as T;
      tx.oncomplete = () => resolve(result());
      tx.onerror = () => reject(new EngineError('storage', `IndexedDB: ${tx.error?.message ?? 'transaction failed'}`));
      tx.onabort = () => reject(new EngineError('storage', `IndexedDB: ${tx.error?.message ?? 'transaction aborted (storage full?)'}`));
      try {
        result = fn(tx);
      } catch (e) {
        tx.abort();
        reject(new EngineError('storage', `IndexedDB: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  } finally {
    db.close();
  }
}

/** Saved models, newest first. */
export async function listModels(): Promise<SavedModelInfo[]> {
  const all = await transaction('readonly', (tx) => {
    const req = tx.objectStore(CATALOGUE).getAll() as IDBRequest<SavedModelInfo[]>;
    return () => req.result;
  });
  return all.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
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

/** Test hook: make a write fail between its two puts, to check that nothing is left behind. */
export interface StoreFaults {
  abortAfterCatalogue?: boolean;
}

/** Saves a layers model under `name`, catalogue entry and artifacts in one transaction. */
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
  await transaction('readwrite', (tx) => {
    tx.objectStore(CATALOGUE).put(info);
    if (faults.abortAfterCatalogue) throw new Error('simulated failure between the two writes');
    tx.objectStore(ARTIFACTS).put({ id, ...artifacts } satisfies StoredArtifacts);
    return () => undefined;
  });
  return info;
}

/** A saved model's catalogue entry and a layers model built from its artifacts; the caller disposes the model. */
export async function readSavedModel(id: string): Promise<{ info: SavedModelInfo; model: tf.LayersModel }> {
  const { info, artifacts } = await transaction('readonly', (tx) => {
    const i = tx.objectStore(CATALOGUE).get(id) as IDBRequest<SavedModelInfo | undefined>;
    const a = tx.objectStore(ARTIFACTS).get(id) as IDBRequest<StoredArtifacts | undefined>;
    return () => ({ info: i.result, artifacts: a.result });
  });
  if (!info) throw new EngineError('model', 'That saved model no longer exists.');
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

/** Deletes a saved model: catalogue entry and artifacts in one transaction. */
export async function deleteModel(id: string, faults: StoreFaults = {}): Promise<void> {
  await transaction('readwrite', (tx) => {
    tx.objectStore(CATALOGUE).delete(id);
    if (faults.abortAfterCatalogue) throw new Error('simulated failure between the two deletes');
    tx.objectStore(ARTIFACTS).delete(id);
    return () => undefined;
  });
}

/** Ids of stored artifacts (tests: no orphans). */
export async function artifactIds(): Promise<string[]> {
  return transaction('readonly', (tx) => {
    const req = tx.objectStore(ARTIFACTS).getAllKeys();
    return () => req.result.map(String);
  });
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
  try {
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: files.weights,
      }),
    );
    return { model, summary: check.summary };
  } catch (e) {
    throw new EngineError('model', `The model could not be built from these files: ${e instanceof Error ? e.message : String(e)}`);
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
