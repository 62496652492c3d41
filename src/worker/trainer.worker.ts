/// <reference lib="webworker" />
/**
 * The training thread's entry: owns the dataset, the backend choice and the
 * TensorFlow.js engine. It only switches on requests and posts events.
 */
import { assertNever, type WorkerEvent, type WorkerRequest } from '../shared/protocol';
import { IMAGE_PIXELS } from '../shared/constants';
import { DEFAULT_CONFIG, validateConfig, type BackendChoice, type TrainConfig } from '../shared/trainConfig';
import { activeChoice, forgetBackend, isContextLost, selectBackend, simulateContextLoss } from './backend';
import { DataError, loadMnist, type MnistData } from './dataset';
import { Engine, EngineError, toEngineError } from './engine';
import { dream, pixelStats } from './dreams';
import * as store from './modelStore';

declare const self: DedicatedWorkerGlobalScope;

/** Test digits shown in the sample strip. */
const SAMPLE_COUNT = 24;

let data: MnistData | null = null;
/** Per-pixel mean and spread of the training images (dreams, loaded models' weight pictures). */
let pixelStatsCache: ReturnType<typeof pixelStats> | null = null;
function trainingPixelStats(): ReturnType<typeof pixelStats> | null {
  if (!data) return null;
  pixelStatsCache ??= pixelStats(data.train.images, Math.min(10000, data.train.count));
  return pixelStatsCache;
}

/** What is known about the current model, for saving and exporting it. */
const current: { config: TrainConfig | null; testAccuracy: number | null; description: string } = { config: null, testAccuracy: null, description: '' };

/** Where the current model came from (a loaded one takes raw [0, 1] pixels; a trained one standardised pixels). */
let modelSource: Extract<WorkerEvent, { type: 'modelInfo' }>['source'] = 'none';

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  const stats = event.type === 'firstLayer' && modelSource !== 'trained' ? trainingPixelStats() : null;
  if (event.type === 'firstLayer' && stats) {
    // A loaded model's first layer works on raw pixels, with the normalisation folded in: huge
    // weights sit on pixels that are almost never inked. Weight × the pixel's spread shows what
    // each unit responds to, on the same footing as a trained model's standardised weights.
    const { spread } = stats;
    for (let u = 0; u < event.units; u++) {
      for (let i = 0; i < IMAGE_PIXELS; i++) event.weights[u * IMAGE_PIXELS + i]! *= spread[i]!;
    }
  }
  if (event.type === 'modelInfo') {
    modelSource = event.source;
    current.config = event.config;
    current.description = event.description;
    if (event.source === 'none') current.testAccuracy = null;
  } else if (event.type === 'done' || event.type === 'report') {
    current.testAccuracy = event.report.testAccuracy;
  }
  self.postMessage(event, transfer);
}

const engine = new Engine(post);
const NO_MODEL = 'Train a model first, or load one.';
const CONTEXT_LOST = 'The WebGL context was lost (the GPU was reset or ran out of memory). Training stopped; restart to train again.';

let contextLostReported = false;
function onContextLost(): void {
  if (contextLostReported) return;
  contextLostReported = true;
  forgetBackend();
  const err = new EngineError('context-lost', CONTEXT_LOST);
  if (engine.isTraining) engine.abort(err);
  else post({ type: 'error', code: err.code, message: err.message });
}
// The event may come late (or, on some browsers, not at all for an OffscreenCanvas): also poll.
engine.healthCheck = () => (isContextLost() ? new EngineError('context-lost', CONTEXT_LOST) : null);

/** Backend changes are serialised: each waits for the one before. */
let backendQueue: Promise<unknown> = Promise.resolve();

/** Starts the backend for `choice` (switching and re-reporting `ready` when it changes). */
function useBackend(choice: BackendChoice): Promise<void> {
  const next = backendQueue.then(async () => {
    if (activeChoice() === choice && readyPosted) return;
    // Tensors live in one backend: park the weights on the host before switching.
    await engine.releaseDevice();
    const { ready, changed } = await selectBackend(choice, onContextLost);
    contextLostReported = false;
    if (changed || !readyPosted) post(ready);
    readyPosted = true;
  });
  backendQueue = next.catch(() => {});
  return next;
}
let readyPosted = false;
// The default choice starts while the data loads, so the UI can show the backend early.
useBackend(DEFAULT_CONFIG.backend).catch((e: unknown) => fail('backend', e));

function fail(code: Extract<WorkerEvent, { type: 'error' }>['code'], e: unknown, request?: WorkerRequest['type']): void {
  const message = e instanceof Error ? e.message : String(e);
  post({ type: 'error', code, message, request });
}

async function loadData(baseUrl: string): Promise<void> {
  const t0 = performance.now();
  let lastPost = 0;
  try {
    data = await loadMnist(baseUrl, (loadedBytes, totalBytes) => {
      const now = performance.now();
      // ~30 progress events a second at most, and always the last one.
      if (now - lastPost > 33 || loadedBytes === totalBytes) {
        lastPost = now;
        post({ type: 'dataProgress', loadedBytes, totalBytes });
      }
    });
  } catch (e) {
    fail(e instanceof DataError ? 'data' : 'internal', e, 'loadData');
    return;
  }
  engine.setData(data);
  pixelStatsCache = null;
  const elapsedMs = performance.now() - t0;
  const samplePixels = data.test.images.slice(0, SAMPLE_COUNT * IMAGE_PIXELS);
  const sampleLabels = Array.from(data.test.labels.subarray(0, SAMPLE_COUNT));
  post(
    { type: 'dataReady', trainCount: data.train.count, testCount: data.test.count, samplePixels, sampleLabels, elapsedMs },
    [samplePixels.buffer],
  );
}

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.type) {
    case 'loadData':
      return loadData(req.baseUrl);
    case 'train': {
      const errors = Object.values(validateConfig(req.config));
      if (errors.length) return fail('config', new Error(errors.join('; ')), req.type);
      if (engine.isTraining) return fail('internal', new Error('Training is already running: stop it first.'), req.type);
      if (!data) return fail('data', new Error('The dataset is not loaded yet.'), req.type);
      try {
        await useBackend(req.config.backend);
      } catch (e) {
        return fail(e instanceof EngineError ? e.code : 'backend', e, req.type);
      }
      // Weights streamed from now on are the run's own (standardised inputs), even if it continues a loaded model.
      modelSource = 'trained';
      try {
        await engine.train(req.config, req.continueTraining ?? false);
      } catch (e) {
        const err = toEngineError(e);
        fail(err.code, err, req.type);
      }
      return;
    }
    case 'pause':
      return engine.pause();
    case 'resume':
      return engine.resume();
    case 'stop':
      return engine.stop();
    case 'reset':
      return engine.reset();
    case 'evaluate': {
      if (!engine.hasModel) return fail('model', new Error(NO_MODEL), req.type);
      try {
        post({ type: 'report', report: await engine.evaluate() });
      } catch (e) {
        const err = toEngineError(e);
        fail(err.code, err, req.type);
      }
      return;
    }
    case 'simulateCrash':
      // Thrown outside any promise, as a real bug would be: the worker's error event fires.
      setTimeout(() => {
        throw new Error('simulated crash (test hook)');
      });
      return;
    case 'simulateContextLoss':
      // We know we lost it: report now rather than wait for the event.
      simulateContextLoss();
      onContextLost();
      return;
    case 'dream': {
      if (!engine.hasModel) return fail('model', new Error(NO_MODEL), req.type);
      await backendQueue;
      const model = await engine.toLayersModel();
      try {
        // Start from the mean digit and move pixels in proportion to how much they vary in MNIST.
        const stats = trainingPixelStats();
        const { images, confidences } = await dream(model, {
          ...(req.steps ? { steps: req.steps } : {}),
          ...(stats ? { start: stats.mean, pixelScale: stats.spread } : {}),
        });
        post({ type: 'dreams', id: req.id, images, confidences }, [images.buffer]);
      } finally {
        model.dispose();
      }
      return;
    }
    case 'listModels':
      post({ type: 'models', models: await store.listModels() });
      return;
    case 'saveModel': {
      if (!engine.hasModel) return fail('model', new Error('There is no model to save: train one or load one first.'), req.type);
      if (engine.isTraining) return fail('model', new Error('Stop training before saving.'), req.type);
      await store.saveModel(engine, req.name, current.config, current.testAccuracy);
      post({ type: 'models', models: await store.listModels() });
      return;
    }
    case 'loadModel': {
      if (engine.isTraining) return fail('model', new Error('Stop training before loading a model.'), req.type);
      await backendQueue;
      const info = await store.loadSavedModel(engine, req.id);
      current.testAccuracy = info.testAccuracy;
      await modelLoaded('saved', `${info.name} (saved ${info.savedAt.slice(0, 10)})`, info.config ?? null);
      return;
    }
    case 'deleteModel':
      await store.deleteModel(req.id);
      post({ type: 'models', models: await store.listModels() });
      return;
    case 'exportModel': {
      if (!engine.hasModel) return fail('model', new Error('There is no model to export: train one or load one first.'), req.type);
      await backendQueue;
      const files = await store.exportModel(engine, { description: current.description, config: current.config, testAccuracy: current.testAccuracy });
      post({ type: 'exported', files }, [files.weights]);
      return;
    }
    case 'importModel': {
      if (engine.isTraining) return fail('model', new Error('Stop training before importing a model.'), req.type);
      await backendQueue;
      const summary = await store.importModel(engine, req.files);
      current.testAccuracy = null;
      await modelLoaded('imported', `imported model ${summary}`, null);
      return;
    }
    case 'loadBundledModel': {
      if (engine.isTraining) return;
      await backendQueue;
      const meta = await store.loadBundledModel(engine, req.url);
      const acc = typeof meta.testAccuracy === 'number' ? meta.testAccuracy : null;
      current.testAccuracy = acc;
      const accText = acc === null ? '' : `, test accuracy ${(acc * 100).toFixed(1)}%`;
      await modelLoaded('bundled', `pre-trained reference recipe (784-64-64-10${accText})`, null);
      return;
    }
    case 'predict': {
      const probs = await engine.predict(req.pixels).catch((e: unknown) => {
        const err = toEngineError(e);
        fail(err.code, err, req.type);
        return null;
      });
      if (probs) post({ type: 'prediction', id: req.id, probs }, [probs.buffer]);
      else post({ type: 'prediction', id: req.id, probs: null, reason: NO_MODEL });
      return;
    }
    default:
      assertNever(req);
  }
}

/** After a model was loaded: tell the UI, and show its first layer. */
async function modelLoaded(source: 'saved' | 'imported' | 'bundled', description: string, config: TrainConfig | null): Promise<void> {
  post({ type: 'modelInfo', source, description, config });
  await engine.postFirstLayer();
}

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  handle(ev.data).catch((e: unknown) => {
    const err = toEngineError(e);
    fail(err.code, err, ev.data.type);
  });
};
