/**
 * The typed message protocol between the UI thread and the training worker.
 * Requests flow UI -> worker, events flow worker -> UI. Both sides switch on
 * `type` with an exhaustiveness check. Typed arrays are transferred, not copied.
 */
import type { TrainConfig } from './trainConfig';

/** A backend TensorFlow.js can run on. */
export type BackendName = 'webgl' | 'webgpu' | 'wasm' | 'cpu';

/** Phases the worker reports; the UI's `app-status` data-state mirrors them. */
export type TrainerPhase = 'idle' | 'training' | 'paused' | 'done';

/** Hyperparameters, test accuracy and date of a saved model. */
export interface SavedModelInfo {
  /** Key in IndexedDB (`indexeddb://<id>`). */
  id: string;
  name: string;
  /** ISO 8601 date of saving. */
  savedAt: string;
  /** Hyperparameters it was trained with; null for an imported or pre-trained model. */
  config: TrainConfig | null;
  /** 0..1, when the model was evaluated on the test set. */
  testAccuracy: number | null;
}

/** A model file pair as exported: TF.js layers format. */
export interface ModelFiles {
  /** Text of model.json. */
  modelJson: string;
  /** The weights file named by model.json (one shard). */
  weights: ArrayBuffer;
  /** Name of the weights file (as referenced in model.json). */
  weightsName: string;
}

/** A misclassified test image. */
export interface Mistake {
  /** Index within the 10,000 test images. */
  index: number;
  label: number;
  predicted: number;
  /** Probability the model gave its (wrong) prediction, 0..1. */
  confidence: number;
  /** The digit's 784 pixels, 0..255, white ink on black. */
  pixels: Uint8Array;
  /** The model's 10 probabilities for it. */
  probs: Float32Array;
}

/** Result of evaluating a model on the 10,000 test images. */
export interface TestReport {
  testLoss: number;
  /** 0..1 */
  testAccuracy: number;
  /** Row-major 10x10 counts: confusion[true * 10 + predicted]. Sums to the test image count. */
  confusion: number[];
  /** Most confident mistakes first. */
  mistakes: Mistake[];
}

// ---------------------------------------------------------------- requests

export type WorkerRequest =
  /** Fetch, verify and decode the dataset; `baseUrl` is absolute (workers resolve relative URLs against their own script). */
  | { type: 'loadData'; baseUrl: string }
  /** Start training. `continueTraining` keeps the current weights instead of fresh ones. */
  | { type: 'train'; config: TrainConfig; continueTraining?: boolean }
  | { type: 'pause' }
  | { type: 'resume' }
  /** Stop after the current step; the model keeps its weights. */
  | { type: 'stop' }
  /** Stop and forget the trained weights and curves. */
  | { type: 'reset' }
  /** Classify one input: `pixels` is [784], 0..1, white ink on black (as MNIST). */
  | { type: 'predict'; id: number; pixels: Float32Array }
  /** Evaluate the current model on the test set (answers `report`). */
  | { type: 'evaluate' }
  /** Synthesise the input each digit's score likes most (answers `dreams`). */
  | { type: 'dream'; id: number; steps?: number }
  | { type: 'listModels' }
  | { type: 'saveModel'; name: string }
  | { type: 'loadModel'; id: string }
  | { type: 'deleteModel'; id: string }
  | { type: 'exportModel' }
  | { type: 'importModel'; files: ModelFiles }
  /** Load the model shipped with the app (trained with the reference recipe). */
  | { type: 'loadBundledModel'; url: string }
  /** Test hook: make the worker behave as if its WebGL context were lost. */
  | { type: 'simulateContextLoss' }
  /** Test hook: make the worker die with an uncaught error. */
  | { type: 'simulateCrash' };

// ------------------------------------------------------------------ events

export type ErrorCode =
  | 'data' // a data file is missing, corrupt or the wrong size
  | 'config' // invalid hyperparameters
  | 'nan' // the loss became NaN or infinite
  | 'context-lost' // the WebGL context was lost
  | 'oom' // out of memory
  | 'backend' // the chosen backend cannot start
  | 'model' // a model file is malformed, too large or the wrong shape
  | 'crash' // the worker died (reported by the client)
  | 'internal';

export type WorkerEvent =
  /** The backend is initialised. */
  | {
      type: 'ready';
      backend: BackendName;
      /** Unmasked GPU name (e.g. "NVIDIA GeForce RTX 4090"), or a description of the CPU path. */
      renderer: string;
      /** Why `auto` picked this backend, shown to the user, e.g. "no GPU found: training on WASM, which is faster here". */
      note: string | null;
      /** True when WebGL runs on a software rasteriser (SwiftShader, llvmpipe). */
      softwareRenderer: boolean;
    }
  /** Bytes of the dataset fetched so far. */
  | { type: 'dataProgress'; loadedBytes: number; totalBytes: number }
  | {
      type: 'dataReady';
      trainCount: number;
      testCount: number;
      /** A strip of sample test digits: [n * 784] bytes 0..255. */
      samplePixels: Uint8Array;
      sampleLabels: number[];
      /** Fetch + verify + decode time, ms. */
      elapsedMs: number;
    }
  | { type: 'phase'; phase: TrainerPhase }
  /** Throttled (<= ~20/s) training progress. */
  | {
      type: 'batch';
      /** Steps done since training started. */
      step: number;
      /** Steps per epoch. */
      stepsPerEpoch: number;
      /** Epochs done, fractional (x-axis of the curves). */
      epoch: number;
      /** Smoothed (EMA) training loss and accuracy. */
      loss: number;
      accuracy: number;
      /** Mean of the raw batch losses since the last event. */
      rawLoss: number;
      /** Training throughput, samples/s. */
      samplesPerSec: number;
      /** Estimated time left, ms. */
      etaMs: number;
    }
  | {
      type: 'epoch';
      /** 1-based epoch just finished. */
      epoch: number;
      epochs: number;
      trainLoss: number;
      trainAccuracy: number;
      valLoss: number;
      valAccuracy: number;
      /** Wall time since training started, ms. */
      elapsedMs: number;
      samplesPerSec: number;
      etaMs: number;
    }
  /** Training finished (all epochs, early stopping or stop) and the test set was evaluated. */
  | { type: 'done'; report: TestReport; stoppedEarly: boolean; epochsRun: number; elapsedMs: number }
  /** Test-set report on demand (answer to `evaluate`). */
  | { type: 'report'; report: TestReport }
  /** Answer to `predict`; `probs` is null with `reason` when no model can predict yet. */
  | { type: 'prediction'; id: number; probs: Float32Array | null; reason?: string }
  /** First-layer weights for the weight-grid view: [units * 784], unit-major. */
  | { type: 'firstLayer'; units: number; weights: Float32Array }
  /** Answer to `dream`: [10 * 784] images 0..1 and the model's confidence in each class. */
  | { type: 'dreams'; id: number; images: Float32Array; confidences: number[] }
  /** There is a model that can predict (trained, loaded or bundled). */
  | { type: 'modelInfo'; source: 'trained' | 'saved' | 'imported' | 'bundled' | 'none'; description: string; config: TrainConfig | null }
  | { type: 'models'; models: SavedModelInfo[] }
  | { type: 'exported'; files: ModelFiles }
  | {
      type: 'error';
      code: ErrorCode;
      message: string;
      /** The request that failed, when one did. */
      request?: WorkerRequest['type'];
    };

/** Exhaustiveness check for switches over `type`. */
export function assertNever(x: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(x)}`);
}
