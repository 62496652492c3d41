/// <reference lib="webworker" />
/**
 * The training thread's entry: builds the engine, the handlers and the
 * scheduler, and hands every request to the scheduler, which answers each
 * exactly once. Where a command is decided: commandPolicy.ts; run: commands.ts;
 * answered: scheduler.ts.
 */
import { IMAGE_PIXELS } from '../shared/constants';
import type { WorkerEvent, WorkerMessage, WorkerRequest } from '../shared/protocol';
import { DEFAULT_CONFIG } from '../shared/trainConfig';
import { forgetBackend, isContextLost } from './backend';
import { createHandlers, WorkerContext } from './commands';
import { Engine } from './engine';
import { EngineError } from './errors';
import { Scheduler } from './scheduler';

declare const self: DedicatedWorkerGlobalScope;

const CONTEXT_LOST = 'The WebGL context was lost (the GPU was reset or ran out of memory). Training stopped; restart to train again.';

function postMessage(msg: WorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  const stats = event.type === 'firstLayer' && engine.info.source !== 'trained' ? ctx.trainingPixelStats() : null;
  if (event.type === 'firstLayer' && stats) {
    // A loaded model's first layer works on raw pixels, with the normalisation folded in: huge
    // weights sit on pixels that are almost never inked. Weight × the pixel's spread shows what
    // each unit responds to, on the same footing as a trained model's standardised weights.
    const { spread } = stats;
    for (let u = 0; u < event.units; u++) {
      for (let i = 0; i < IMAGE_PIXELS; i++) event.weights[u * IMAGE_PIXELS + i]! *= spread[i]!;
    }
  }
  postMessage(event, transfer);
}

let contextLostReported = false;
function onContextLost(): void {
  if (contextLostReported) return;
  contextLostReported = true;
  forgetBackend();
  const err = new EngineError('context-lost', CONTEXT_LOST, 'webgl');
  // A run gets it as its `train` reply; otherwise nobody is waiting: a fault event.
  if (engine.isTraining) engine.abort(err);
  else post({ type: 'fault', code: err.code, message: err.message });
}

const engine = new Engine(post);
const ctx = new WorkerContext(engine, post, onContextLost);
// The event may come late (or, on some browsers, not at all for an OffscreenCanvas): also poll.
engine.healthCheck = () => (isContextLost() ? new EngineError('context-lost', CONTEXT_LOST, 'webgl') : null);

const scheduler = new Scheduler(
  createHandlers(ctx),
  postMessage,
  () => engine.isPaused,
  (req) => {
    // Reset supersedes a run: it ends now (without evaluating), then Reset takes its turn.
    if (req.type === 'reset') engine.cancel();
    // A new backend choice may bring a fresh WebGL context.
    if (req.type === 'train' || req.type === 'fineTune') contextLostReported = false;
  },
);
engine.onPauseChange = () => scheduler.postPhase();

// The default backend starts while the data loads, so the page can show it early.
ctx
  .useBackend(DEFAULT_CONFIG.backend)
  .catch((e: unknown) => post({ type: 'fault', code: 'backend', message: e instanceof Error ? e.message : String(e) }));

self.onmessage = (ev: MessageEvent<WorkerRequest>) => scheduler.submit(ev.data);
