/// <reference lib="webworker" />
/**
 * The training thread's entry: owns the dataset, the backend choice and the
 * TensorFlow.js engine. It only switches on requests and posts events.
 */
import { assertNever, type WorkerEvent, type WorkerRequest } from '../shared/protocol';
import { IMAGE_PIXELS } from '../shared/constants';
import { DEFAULT_CONFIG, validateConfig, type BackendChoice } from '../shared/trainConfig';
import { activeChoice, forgetBackend, isContextLost, selectBackend, simulateContextLoss } from './backend';
import { DataError, loadMnist, type MnistData } from './dataset';
import { Engine, EngineError, toEngineError } from './engine';

declare const self: DedicatedWorkerGlobalScope;

/** Test digits shown in the sample strip. */
const SAMPLE_COUNT = 24;

let data: MnistData | null = null;

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
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
    case 'simulateContextLoss':
      // We know we lost it: report now rather than wait for the event.
      simulateContextLoss();
      onContextLost();
      return;
    case 'dream':
    case 'listModels':
    case 'saveModel':
    case 'loadModel':
    case 'deleteModel':
    case 'exportModel':
    case 'importModel':
    case 'loadBundledModel':
      // Saving, loading and dreams build on engine.toLayersModel()/fromLayersModel() (issue 5).
      post({ type: 'error', code: 'internal', message: `"${req.type}" is not available yet`, request: req.type });
      return;
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

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  handle(ev.data).catch((e: unknown) => fail('internal', e, ev.data.type));
};
