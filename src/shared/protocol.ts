/**
 * The typed contract between the UI thread and the training worker.
 *
 * Two kinds of message, never mixed:
 * - **Requests** (UI → worker) carry an `id` and get exactly one `Reply`
 *   (`{ id, ok: true, value } | { id, ok: false, error }`); `RequestMap` says,
 *   per request type, what it takes and what it answers. TrainerClient turns
 *   each into an async method.
 * - **Events** (worker → UI) are streams only: the worker's phase, data
 *   progress, training batches and epochs, first-layer weights, model changes,
 *   and faults that no request is waiting for (e.g. a lost WebGL context).
 *
 * Everything that describes a model (curves, reports, weights, dreams,
 * predictions) carries the model's `version`; the page shows only the current one.
 * Both sides switch on `type` with an exhaustiveness check; typed arrays are transferred.
 * What each request may do when, and the bounds of its parameters, are rows of
 * the command table (commands.ts); the worker checks every message against it.
 *
 * Past 350 lines on purpose: the whole contract (every request, reply and event
 * type, with units and shapes) is read in one place.
 */
import type { RefusalKey } from './commands';
import type { DigitSet } from './myDigits';
import type { StepResult, StepUndo, TrainingExample } from './step';
import type { Activation, BackendChoice, TrainConfig } from './trainConfig';

/** A backend TensorFlow.js can run on. */
export type BackendName = 'webgl' | 'webgpu' | 'wasm' | 'cpu';

/** One lane of `auto`'s race: a backend's training speed on the configuration's shape. */
export interface RaceEntry {
  backend: BackendName;
  /** Training samples/s over a short run of real steps; null when the backend did not start. */
  samplesPerSec: number | null;
}

/**
 * What the worker is doing, as its command scheduler sees it. `busy` states run one
 * exclusive command (no two commands touch the model's tensors at once).
 */
export type WorkerPhase = 'loading-data' | 'idle' | 'training' | 'paused' | 'busy';

/** Where the current model came from. */
export type ModelSource = 'trained' | 'saved' | 'imported' | 'bundled' | 'none';

/** The current model, as the worker describes it. `version` changes whenever the model is replaced. */
export interface ModelInfo {
  /** Bumped on train start, load, import and reset; results carry the version they describe. */
  version: number;
  source: ModelSource;
  /** One line, e.g. "784-64-64-10, trained 10 epochs, test accuracy 96.9%". */
  description: string;
  /** Hyperparameters it was trained with; null for a loaded model. */
  config: TrainConfig | null;
  /** 0..1, when known (evaluated, or stored with a loaded model). */
  testAccuracy: number | null;
  /** What the description says, as data, so the page words it in the reader's language (absent: the page shows `description`). */
  facts?: ModelFacts;
}

/** A model's description as data: a shipped model, or one trained here (layer sizes, epochs trained). */
export type ModelFacts = { kind: 'bundled'; robust: boolean; sizes: number[] } | { kind: 'trained'; sizes: number[]; epochs: number };

/** Hyperparameters, test accuracy and date of a saved model. */
export interface SavedModelInfo {
  /** Key in our IndexedDB. */
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

/**
 * The answer to `exportWeights`: the current model in Keras' terms (what `model.get_weights()` and a
 * fitted StandardScaler hold), for the Python export. The model computes
 * softmax(…act((pixels − mean) / scale · W1 + b1)…) with pixels in 0..255.
 */
export interface KerasWeights {
  /** Version of the model described. */
  version: number;
  /** Layer widths, 784 first, 10 last, e.g. [784, 64, 64, 10]. */
  sizes: number[];
  /** The hidden layers' activation (the last layer is softmax). */
  activation: Activation;
  /** [P] each layer's kernel [inputs, units] (row-major) then its bias [units], input side first: Keras' weight order. */
  params: Float32Array;
  /** [784] per-pixel mean, 0..255 units (StandardScaler's `mean_`); zeros for the 0-to-1 normalisation. */
  mean: Float32Array;
  /** [784] per-pixel scale, 0..255 units (StandardScaler's `scale_`); 255 for the 0-to-1 normalisation. */
  scale: Float32Array;
  /** Hyperparameters it was (last) trained with; null for a loaded model. */
  config: TrainConfig | null;
  /** 0..1 when known. */
  testAccuracy: number | null;
  /** The model's one-line description. */
  description: string;
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
  /** Version of the model evaluated. */
  version: number;
  testLoss: number;
  /** 0..1 */
  testAccuracy: number;
  /** Row-major 10x10 counts: confusion[true * 10 + predicted]. Sums to the test image count. */
  confusion: number[];
  /** Most confident mistakes first. */
  mistakes: Mistake[];
}

/** The dataset once fetched, verified and decoded. */
export interface DataInfo {
  trainCount: number;
  testCount: number;
  /** A strip of sample test digits: [n * 784] bytes 0..255. */
  samplePixels: Uint8Array;
  sampleLabels: number[];
  /** Fetch + verify + decode time, ms. */
  elapsedMs: number;
}

/** How a training run ended. */
export type RunOutcome = 'completed' | 'early-stopped' | 'stopped' | 'cancelled';

/** The answer to `train`, sent when the run has ended (and, unless cancelled, the test set was evaluated). */
export interface RunSummary {
  /** Version of the model the run trained. */
  version: number;
  outcome: RunOutcome;
  /** Steps run and steps per epoch: a stopped run reports "stopped in epoch 1 at step 210 of 1,500". */
  steps: number;
  stepsPerEpoch: number;
  /** Epochs run, fractional (steps / stepsPerEpoch). */
  epochsRun: number;
  /** Wall time, ms, pauses excluded. */
  elapsedMs: number;
  /** Test-set report of the model at the end of the run; null when cancelled. */
  report: TestReport | null;
}

/** The answer to `predict`. */
export interface Prediction {
  /** Version of the model that predicted (0: none). */
  version: number;
  /** [10] probabilities, or null when no model can predict yet (`reason` says why). */
  probs: Float32Array | null;
  reason?: string;
}

/** The answer to `dream`: the input each digit's score likes most. */
export interface Dreams {
  version: number;
  /** [10 * 784] images, 0..1. */
  images: Float32Array;
  /** The model's probability of each digit for its own dream. */
  confidences: number[];
}

/** The answer to `evaluateMine`: the current model on your own labelled digits. */
export interface MyDigitsReport {
  /** Version of the model that read them (0: none). */
  version: number;
  /** [n] the digit read for each of your digits, in the order sent. */
  predicted: Uint8Array;
  /** [n] the probability of that digit, 0..1. */
  confidence: Float32Array;
  /** Share read right, 0..1; null when there are none or no model. */
  accuracy: number | null;
}

/** The answer to `inspect`: how the current model reads one input, layer by layer. */
export interface Inspection {
  /** Version of the model (0: none). */
  version: number;
  /** [10] probabilities, or null without a model (`reason` says why). */
  probs: Float32Array | null;
  /** The digit with the highest probability; -1 without a model. */
  predicted: number;
  /** Each hidden layer's output after its activation: [units] per layer, input side first. */
  hidden: Float32Array[];
  /**
   * [784] gradient of log p(predicted) with respect to each input pixel (0..1 scale):
   * positive where more ink would push towards the predicted digit. Times the pixel's
   * ink, it is that pixel's push (saliency).
   */
  gradient: Float32Array | null;
  reason?: string;
}

/** The answer to `testImages`: the test images behind one cell of the confusion matrix. */
export interface CellImages {
  /** Version of the model whose evaluation sorted them. */
  version: number;
  label: number;
  predicted: number;
  /** Test images in the cell (more than sent when over the limit). */
  total: number;
  /** [n] indices within the 10,000 test images, in file order. */
  indices: Int32Array;
  /** [n * 784] their pixels, 0..255, white ink on black. */
  pixels: Uint8Array;
}

/** The answer to `fineTune`: the run, and both accuracies before and after it. */
export interface FineTuneSummary {
  run: RunSummary;
  /** Accuracy on your digits before and after, 0..1. */
  yoursBefore: number | null;
  yoursAfter: number | null;
  /** MNIST test accuracy before (as evaluated, or stored with a loaded model; null if unknown) and after. */
  testBefore: number | null;
  testAfter: number | null;
  /** Copies of each of your digits in the mix, and MNIST images in it. */
  repeats: number;
  mnistImages: number;
}

// ---------------------------------------------------------------- requests

type NoParams = Record<never, never>;

/** Every request: what it takes (`params`) and what its reply carries (`value`). */
export interface RequestMap {
  /**
   * Fetch, verify and decode the dataset, then load the shipped model from `bundledModelUrl` (absolute URLs: workers
   * resolve relative ones against their script). `backend`: the page's choice (default auto), started while the data loads.
   */
  loadData: { params: { baseUrl: string; bundledModelUrl: string | null; backend?: BackendChoice }; value: DataInfo };
  /** Train; answers when the run has ended. `continueTraining` keeps the current weights. */
  train: { params: { config: TrainConfig; continueTraining?: boolean }; value: RunSummary };
  pause: { params: NoParams; value: WorkerPhase };
  resume: { params: NoParams; value: WorkerPhase };
  /** Stop after the current step; the run then evaluates the test set and answers its `train`. */
  stop: { params: NoParams; value: WorkerPhase };
  /** Back to a fresh start: cancel any run, forget the weights, load the shipped model again. */
  reset: { params: NoParams; value: ModelInfo };
  /** Classify one input: `pixels` is [784], 0..1, white ink on black (as MNIST). */
  predict: { params: { pixels: Float32Array }; value: Prediction };
  /** Evaluate the current model on the 10,000 test images. */
  evaluate: { params: NoParams; value: TestReport };
  /** Synthesise the input each digit's score likes most. */
  dream: { params: { steps?: number }; value: Dreams };
  listModels: { params: NoParams; value: SavedModelInfo[] };
  /** Save the current model; answers the new list. */
  saveModel: { params: { name: string }; value: SavedModelInfo[] };
  loadModel: { params: { modelId: string }; value: ModelInfo };
  /** Delete a saved model; answers the new list. */
  deleteModel: { params: { modelId: string }; value: SavedModelInfo[] };
  exportModel: { params: NoParams; value: ModelFiles };
  /** The current model's weights and input normalisation in Keras' terms (export for Python). */
  exportWeights: { params: NoParams; value: KerasWeights };
  importModel: { params: { files: ModelFiles }; value: ModelInfo };
  /** Load the model shipped with the app (the one named in `loadData`); `robust`: its sibling trained on augmented images (models/robust/). */
  loadBundledModel: { params: { robust?: boolean }; value: ModelInfo };
  /** Reads your labelled digits with the current model (runs at once, also while training). */
  evaluateMine: { params: { digits: DigitSet }; value: MyDigitsReport };
  /** How the current model reads one input: `pixels` [784], 0..1; probabilities, hidden activations, saliency (runs at once). */
  inspect: { params: { pixels: Float32Array }; value: Inspection };
  /**
   * Continues the current model on MNIST mixed with your digits (see shared/fineTune.ts), streaming
   * curves like `train`, then evaluates the test set and your digits. `config` gives the batch size,
   * optimizer, seed, backend and augmentation; the model's shape is kept.
   */
  fineTune: { params: { config: TrainConfig; digits: DigitSet }; value: FineTuneSummary };
  /** The test images the current model's last evaluation put in one confusion-matrix cell (runs at once). */
  testImages: { params: { label: number; predicted: number; limit: number }; value: CellImages };
  /**
   * `times` real training steps of the current model on one example (`pixels` [784] 0..1 and its
   * `label`), by the code that trains here; the first of a view `session` keeps a copy for `undoSteps`.
   */
  traceStep: { params: { pixels: Float32Array; label: number; times: number; session: number }; value: StepResult };
  /** Puts the model back as it was before the first step of `session` (weights and optimizer state). */
  undoSteps: { params: { session: number }; value: StepUndo };
  /** One MNIST training image and its label (`index` modulo the training images; runs at once). */
  trainingExample: { params: { index: number }; value: TrainingExample };
  /** Liveness: answered at once, whatever runs (the client pings a worker that has been quiet). */
  ping: { params: NoParams; value: Pulse };
  /** Test hook: behave as if the WebGL context were lost. Answers whether there was one to lose. */
  simulateContextLoss: { params: NoParams; value: boolean };
  /** Test hook: die with an uncaught error (the reply never comes; the client restarts the worker). */
  simulateCrash: { params: NoParams; value: void };
  /** Test hook: end the worker silently (`self.close()`: no error event, no reply); the client's liveness check notices. */
  simulateSilentExit: { params: NoParams; value: void };
}

/** The answer to `ping`. */
export interface Pulse {
  /** The worker's clock (performance.now()), ms. */
  time: number;
  phase: WorkerPhase;
  /** While the model lives on a GPU: when the host copy of its last good weights was taken ("after epoch 2"), else null. */
  kept: string | null;
}

export type RequestType = keyof RequestMap;
export type RequestParams<K extends RequestType> = RequestMap[K]['params'];
export type ReplyValue<K extends RequestType> = RequestMap[K]['value'];

/** A request as sent: its type, its id and its params (so no request has a parameter called `id` or `type`). */
export type WorkerRequest = { [K in RequestType]: { type: K; id: number } & RequestParams<K> }[RequestType];
/** The request of one type. */
export type RequestOf<K extends RequestType> = Extract<WorkerRequest, { type: K }>;

export type ErrorCode =
  | 'data' // a data file is missing, corrupt or the wrong size
  | 'config' // invalid hyperparameters
  | 'nan' // the loss became NaN or infinite
  | 'context-lost' // the WebGL context was lost
  | 'oom' // out of memory
  | 'backend' // the chosen backend cannot start
  | 'model' // a model file is malformed, too large or the wrong shape; or there is no model
  | 'storage' // IndexedDB failed
  | 'refused' // the command cannot apply in the worker's current state (the message says why)
  | 'invalid' // not a request of the protocol: unknown type, missing, ill-typed or out-of-range parameters
  | 'cancelled' // superseded before it ran or finished (e.g. by Reset)
  | 'crash' // the worker died or stopped answering (reported by the client)
  | 'network' // the worker's script could not be downloaded (reported by the client)
  | 'internal';

/** Why a request failed. */
export interface ReplyError {
  code: ErrorCode;
  /** English; for refusals and invalid requests the sentence of `key` (plus what was wrong). */
  message: string;
  /** For 'refused' and 'invalid': the stable key of the sentence (commands.ts REFUSALS), for the page to word it. */
  key?: RefusalKey;
  /** For 'backend' errors: the backend that failed, so the page offers another. */
  backend?: BackendName | 'auto';
}

/** The one answer to a request. */
export type Reply = { type: 'reply'; id: number; ok: true; value: unknown } | { type: 'reply'; id: number; ok: false; error: ReplyError };

// ------------------------------------------------------------------ events

export type WorkerEvent =
  /** The backend is initialised (or changed). */
  | {
      type: 'ready';
      backend: BackendName;
      /** Unmasked GPU name (e.g. "NVIDIA GeForce RTX 4090"), or a description of the CPU path. */
      renderer: string;
      /** Why `auto` picked this backend, shown to the user, e.g. "no GPU found: training on WASM, which is faster here". */
      note: string | null;
      /** True when WebGL runs on a software rasteriser (SwiftShader, llvmpipe). */
      softwareRenderer: boolean;
      /**
       * `auto`'s race that chose this backend (measured now or remembered), fastest first. For an explicit choice, its
       * one lane (the speed the estimate under Train starts from; no other backend is started). Null when not measured.
       */
      race?: RaceEntry[] | null;
    }
  /** Bytes of the dataset fetched so far. */
  | { type: 'dataProgress'; loadedBytes: number; totalBytes: number }
  /** The scheduler's state: what runs now and how many commands wait. */
  | {
      type: 'phase';
      phase: WorkerPhase;
      /** The exclusive command running when phase is 'busy' (e.g. 'evaluate'), else null. */
      activity: RequestType | null;
      /** Commands waiting their turn. */
      queued: number;
      /**
       * How long the running command may keep the worker silent (shader compiles, a run's data upload,
       * a large network's steps) until it answers or, for a run, streams its first batch, ms; 0: it
       * answers pings at once. The client's liveness check waits that long (shared/quiet.ts).
       */
      quietMs: number;
      /** Once a run streams batches: how long one of its steps may keep the worker silent, ms (0: the client's usual). */
      stepQuietMs: number;
    }
  /** The current model changed (trained, loaded, imported, reset). */
  | ({ type: 'model' } & ModelInfo)
  /** A run started: curves of `version` follow. `continued` keeps the earlier curves. */
  | { type: 'runStarted'; version: number; epochs: number; stepsPerEpoch: number; continued: boolean }
  /** Throttled (<= ~20/s) training progress. */
  | {
      type: 'batch';
      version: number;
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
      version: number;
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
  /** First-layer weights for the weight-grid view: [units * 784], unit-major. */
  | { type: 'firstLayer'; version: number; units: number; weights: Float32Array }
  /** A fault no request is waiting for (e.g. the WebGL context was lost while idle, or a message without a usable id). */
  | { type: 'fault'; code: ErrorCode; message: string; key?: RefusalKey };

/** Anything the worker posts. */
export type WorkerMessage = Reply | WorkerEvent;

/** Exhaustiveness check for switches over `type` (a compile error when a case is missing). */
export function assertNever(x: never): never {
  throw new Error(`unhandled message type: ${(x as { type?: unknown } | null)?.type}`);
}
