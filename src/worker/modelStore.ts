/**
 * Saved models: TF.js layers-format artifacts in IndexedDB (`indexeddb://…`)
 * plus a small catalogue (name, date, hyperparameters, test accuracy) in an
 * IndexedDB store of our own; export to and import from model.json + weights.
 * Saved and exported models take pixels in [0, 1] (normalisation folded in).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelFiles, SavedModelInfo } from '../shared/protocol';
import { validateModelFiles } from '../shared/modelImport';
import type { TrainConfig } from '../shared/trainConfig';
import { EngineError, type Engine } from './engine';

const DB_NAME = 'mnist-playground';
const STORE = 'models';
/** File name of the weights in an export; model.json refers to it. */
export const EXPORT_WEIGHTS_NAME = 'model.weights.bin';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new EngineError('model', 'This browser offers no IndexedDB here (private mode?): models cannot be saved.'));
      return;
    }
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new EngineError('model', `IndexedDB could not be opened: ${req.error?.message ?? 'unknown error'}`));
  });
}

async function withStore<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(new EngineError('model', `IndexedDB: ${tx.error?.message ?? 'transaction failed'}`));
      tx.onabort = () => reject(new EngineError('model', `IndexedDB: ${tx.error?.message ?? 'transaction aborted (storage full?)'}`));
    });
  } finally {
    db.close();
  }
}

const artifactUrl = (id: string) => `indexeddb://mnist-playground/${id}`;

/** Saved models, newest first. */
export async function listModels(): Promise<SavedModelInfo[]> {
  const all = await withStore<SavedModelInfo[]>('readonly', (s) => s.getAll() as IDBRequest<SavedModelInfo[]>);
  return all.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

/** Saves the engine's current model under `name`. */
export async function saveModel(engine: Engine, name: string, config: TrainConfig | null, testAccuracy: number | null): Promise<SavedModelInfo> {
  const clean = name.trim().slice(0, 80);
  if (!clean) throw new EngineError('model', 'Give the model a name to save it.');
  const id = `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const model = await engine.toLayersModel();
  try {
    await model.save(artifactUrl(id));
  } finally {
    model.dispose();
  }
  const info: SavedModelInfo = { id, name: clean, savedAt: new Date().toISOString(), config, testAccuracy };
  await withStore('readwrite', (s) => s.put(info));
  return info;
}

/** Loads a saved model into the engine; returns its catalogue entry. */
export async function loadSavedModel(engine: Engine, id: string): Promise<SavedModelInfo> {
  const info = await withStore<SavedModelInfo | undefined>('readonly', (s) => s.get(id) as IDBRequest<SavedModelInfo | undefined>);
  if (!info) throw new EngineError('model', 'That saved model no longer exists.');
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(artifactUrl(id));
  } catch (e) {
    throw new EngineError('model', `The saved model "${info.name}" could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    await engine.fromLayersModel(model, info.config ?? null);
  } finally {
    model.dispose();
  }
  return info;
}

export async function deleteModel(id: string): Promise<void> {
  await withStore('readwrite', (s) => s.delete(id));
  await tf.io.removeModel(artifactUrl(id)).catch(() => {
    // the catalogue entry is gone; a missing artifact is not worth an error
  });
}

function joinWeights(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data;
}

/** The engine's model as model.json + one weights file (TF.js layers format). */
export async function exportModel(engine: Engine, metadata: Record<string, unknown>): Promise<ModelFiles> {
  const model = await engine.toLayersModel();
  let files: ModelFiles | null = null;
  try {
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const json = {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: [`./${EXPORT_WEIGHTS_NAME}`], weights: artifacts.weightSpecs ?? [] }],
          userDefinedMetadata: { ...metadata, input: 'pixels in [0, 1], white ink on black, [batch, 784]' },
        };
        files = { modelJson: JSON.stringify(json), weights: joinWeights(artifacts.weightData ?? new ArrayBuffer(0)), weightsName: EXPORT_WEIGHTS_NAME };
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
  } finally {
    model.dispose();
  }
  if (!files) throw new EngineError('model', 'The model could not be serialised.');
  return files;
}

/**
 * Checks and loads model files (as exported, or from another TF.js app) into the engine.
 * @throws EngineError 'model' saying why a file is refused; the engine's model is then untouched.
 */
export async function importModel(engine: Engine, files: ModelFiles): Promise<string> {
  const check = validateModelFiles(files.modelJson, [{ name: files.weightsName, bytes: files.weights.byteLength }]);
  if (!check.ok) throw new EngineError('model', check.reason);
  const json = JSON.parse(files.modelJson) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: files.weights }),
    );
  } catch (e) {
    throw new EngineError('model', `The model could not be built from these files: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    await engine.fromLayersModel(model, null);
  } finally {
    model.dispose();
  }
  return check.summary;
}

/** Loads the model shipped with the app from our own server. */
export async function loadBundledModel(engine: Engine, url: string): Promise<Record<string, unknown>> {
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(url);
  } catch (e) {
    throw new EngineError('model', `The pre-trained model could not be loaded (${e instanceof Error ? e.message : String(e)}).`);
  }
  try {
    await engine.fromLayersModel(model, null);
  } finally {
    model.dispose();
  }
  // Its metadata (training command, test accuracy) sits in model.json.
  const res = await fetch(url).catch(() => null);
  const json = (await res?.json().catch(() => null)) as { userDefinedMetadata?: Record<string, unknown> } | null;
  return json?.userDefinedMetadata ?? {};
}
