/// <reference lib="webworker" />
/**
 * The training thread's entry: owns the dataset and (in later modules) the
 * TensorFlow.js engine. It only switches on requests and posts events.
 */
import { assertNever, type WorkerEvent, type WorkerRequest } from '../shared/protocol';
import { IMAGE_PIXELS } from '../shared/constants';
import { DataError, loadMnist, type MnistData } from './dataset';

declare const self: DedicatedWorkerGlobalScope;

/** Test digits shown in the sample strip. */
const SAMPLE_COUNT = 24;

let data: MnistData | null = null;

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  self.postMessage(event, transfer);
}

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
    case 'train':
    case 'pause':
    case 'resume':
    case 'stop':
    case 'reset':
    case 'evaluate':
    case 'dream':
    case 'listModels':
    case 'saveModel':
    case 'loadModel':
    case 'deleteModel':
    case 'exportModel':
    case 'importModel':
    case 'loadBundledModel':
    case 'simulateContextLoss':
      // Implemented by the training engine (issue: the training engine).
      post({ type: 'error', code: 'internal', message: `"${req.type}" is not available yet`, request: req.type });
      return;
    case 'predict':
      post({ type: 'prediction', id: req.id, probs: null, reason: 'Train a model first, or load one.' });
      return;
    default:
      assertNever(req);
  }
}

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  handle(ev.data).catch((e: unknown) => fail('internal', e, ev.data.type));
};
