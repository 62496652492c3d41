/**
 * The worker's backend over its life: starting and switching it (one switch at
 * a time, the weights parked on the host meanwhile), and surviving the loss of
 * a WebGL context. A lost context stops a run with a clear message; then the
 * worker moves to WASM (or the plain CPU backend), puts the last good weights
 * there (lastGood.ts) and carries on, so the pad keeps reading and Train trains.
 */
import { backendName } from '../shared/backendNames';
import { errorMessage } from '../shared/errorMessage';
import type { BackendName, WorkerEvent } from '../shared/protocol';
import type { BackendChoice } from '../shared/trainConfig';
import { activeBackend, isActive, isContextLost, markLost, selectBackend } from './backend';
import type { RaceShape } from './backendRace';
import type { Engine } from './engine';
import { EngineError } from './errors';
import { LastGoodWeights, type KeptWeights } from './lastGood';
import * as store from './modelStore';

/** Backends a model is carried to after a lost context, in order of preference. */
const FALLBACKS: readonly BackendName[] = ['wasm', 'cpu'];

/** What the session needs from the rest of the worker when a context is lost. */
export interface LossHooks {
  /** Resolves when the exclusive command running now has ended. */
  runningSettled(): Promise<void>;
  /** Answers the running exclusive command (not a run) with `error` and goes on without it: it may never return from a dead device. */
  abandonRunning(error: EngineError): void;
  /** Loads the shipped model (when no weights were kept), without waiting for the backend (it runs inside its recovery). */
  loadBundled(): Promise<unknown>;
}

export class BackendSession {
  private queue: Promise<unknown> = Promise.resolve();
  private readyPosted = false;
  /** The loss being handled (once per backend selection). */
  private lossReported = false;
  readonly lastGood: LastGoodWeights;
  hooks: LossHooks | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly post: (event: WorkerEvent) => void,
  ) {
    this.lastGood = new LastGoodWeights(engine, () => {
      const b = activeBackend();
      return b === 'webgl' || b === 'webgpu';
    });
    // The event may come late (or, on some browsers, not at all for an OffscreenCanvas): the run also polls.
    engine.healthCheck = () => {
      if (!isContextLost()) return null;
      this.onContextLost();
      return contextLostError(this.lastGood.current, true);
    };
  }

  /**
   * Starts the backend for `choice` (switching and posting `ready` when it changes); switches are serialised.
   * `auto` races backends on `shape` (a new shape may race again; verdicts are remembered per shape).
   */
  use(choice: BackendChoice, shape?: RaceShape): Promise<void> {
    return this.serialise(async () => {
      if (isActive(choice, shape) && this.readyPosted) return;
      // Tensors live in one backend: park the weights on the host before switching.
      await this.engine.releaseDevice();
      try {
        const { ready, changed } = await selectBackend(choice, () => this.onContextLost(), shape);
        if (changed || !this.readyPosted) this.post(ready);
        this.readyPosted = true;
        this.lossReported = false;
      } catch (e) {
        if (e instanceof EngineError) throw e;
        throw new EngineError('backend', errorMessage(e), choice === 'auto' ? 'auto' : choice);
      }
    });
  }

  /** Resolves when no backend switch (or recovery) is under way. */
  settled(): Promise<unknown> {
    return this.queue;
  }

  private serialise(job: () => Promise<void>): Promise<void> {
    const next = this.queue.then(job);
    this.queue = next.catch(() => {});
    return next;
  }

  /** The WebGL context was lost: stop, say so, and move what was kept to a CPU backend. */
  onContextLost(): void {
    if (this.lossReported) return;
    this.lossReported = true;
    markLost('webgl');
    const err = contextLostError(this.lastGood.current, this.engine.isTraining);
    // A run gets it as its `train` reply; otherwise nobody is waiting: a fault event.
    if (this.engine.isTraining) this.engine.abort(err);
    else this.post({ type: 'fault', code: err.code, message: err.message });
    void this.serialise(() => this.recover(err));
  }

  /** Carries the model to a working backend: the kept weights, else the shipped model. */
  private async recover(err: EngineError): Promise<void> {
    // An aborted run ends at once; anything else may wait forever on the dead device.
    if (this.engine.isTraining) await this.hooks?.runningSettled();
    else this.hooks?.abandonRunning(err);
    const kept = this.lastGood.current;
    // Reads from a lost context never return: drop the model without reading it.
    this.engine.dispose();
    this.lastGood.clear();
    for (const name of FALLBACKS) {
      try {
        const { ready } = await selectBackend(name, () => this.onContextLost());
        this.post(ready);
        this.readyPosted = true;
        break;
      } catch {
        // the next fallback
      }
    }
    this.lossReported = false;
    try {
      if (kept) await this.restore(kept);
      else await this.hooks?.loadBundled();
    } catch (e) {
      this.post({ type: 'fault', code: 'model', message: `The model could not be carried over: ${errorMessage(e)}` });
      this.engine.clearModel();
    }
  }

  private async restore(kept: KeptWeights): Promise<void> {
    const { model } = await store.parseModelFiles(kept.files);
    try {
      await this.engine.loadLayersModel(model, {
        source: 'saved',
        description: `${kept.description}; its weights ${kept.when}, kept when the WebGL context was lost`,
        // A loaded model's inputs are raw pixels: a continued run unfolds them again (as for any loaded model).
        config: null,
        testAccuracy: null,
      });
    } finally {
      model.dispose();
    }
  }
}

/** The words of a lost context: what stopped, what was kept and where it went, what to do. */
function contextLostError(kept: KeptWeights | null, duringRun: boolean): EngineError {
  const wasm = backendName('wasm');
  const what = kept
    ? `The weights ${kept.when} are kept and move to ${wasm}, where the pad reads with them.`
    : `No weights of ${duringRun ? 'this run' : 'the model'} could be kept; the pre-trained model reads the pad on ${wasm}.`;
  return new EngineError(
    'context-lost',
    `The WebGL context was lost (the GPU was reset or ran out of memory).${duringRun ? ' Training stopped.' : ''} ${what} Continue on ${wasm}, or restart the worker to use WebGL again.`,
    'webgl',
  );
}
