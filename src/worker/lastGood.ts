/**
 * The last good weights, on the host, while the model lives on a GPU: a lost
 * WebGL context takes every tensor with it (reads from it never return), so
 * the worker keeps a copy of the current model as exported files, taken at
 * each epoch's end and whenever a model is in place, to carry on with on
 * another backend.
 */
import type { ModelFiles, WorkerEvent } from '../shared/protocol';
import { errorMessage } from '../shared/errorMessage';
import type { Engine } from './engine';
import * as store from './modelStore';

/** A kept copy of the current model. */
export interface KeptWeights {
  /** Version of the model it copies. */
  version: number;
  /** When it was taken, in words: "after epoch 2", "as loaded". */
  when: string;
  /** The model's one-line description at that moment. */
  description: string;
  files: ModelFiles;
}

export class LastGoodWeights {
  private kept: KeptWeights | null = null;
  private taking = false;
  /** The last copy that failed, for diagnostics. */
  lastError: string | null = null;

  constructor(
    private readonly engine: Engine,
    /** Whether the model lives on a device that can be lost (WebGL, WebGPU). */
    private readonly onLosableDevice: () => boolean,
  ) {}

  /** The kept copy of the current model, or null. */
  get current(): KeptWeights | null {
    return this.kept && this.kept.version === this.engine.version ? this.kept : null;
  }

  /** Sees every event the worker posts: a finished epoch, or a model in place, is worth a copy. */
  observe(event: WorkerEvent): void {
    if (event.type === 'epoch') void this.take(`after epoch ${event.epoch}`);
    else if (event.type === 'model' && event.source !== 'none' && !this.engine.isTraining) void this.take('before the loss');
  }

  /** Copies the current model to the host while it lives on a GPU (one at a time; a copy of a replaced model is dropped). */
  async take(when: string): Promise<void> {
    if (this.taking || !this.engine.hasModel || !this.onLosableDevice()) return;
    this.taking = true;
    const version = this.engine.version;
    const description = this.engine.info.description;
    try {
      const model = await this.engine.toLayersModel();
      try {
        const files = await store.exportModel(model, { description });
        if (this.engine.version === version) this.kept = { version, when, description, files };
      } finally {
        model.dispose();
      }
    } catch (e) {
      this.lastError = errorMessage(e);
    } finally {
      this.taking = false;
    }
  }

  /** Forgets the copy (its model is gone). */
  clear(): void {
    this.kept = null;
  }
}
