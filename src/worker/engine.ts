/**
 * The training engine: owns the model (a kernel and a bias variable per dense
 * layer, tf.js) and its version, the data on the device, training runs,
 * prediction and test evaluation. It talks to the outside only through `post`
 * (protocol events). A run trains through the step interface (stepper.ts): the
 * WASM SIMD kernel on the wasm backend, tf.js elsewhere (trainPath.ts); while
 * the kernel trains, every read of the weights commits them to the tf.js
 * variables first, so predictions never see stale weights. No DOM, no WebGL:
 * the backend is chosen by backend.ts; this module runs in Node for the tests.
 * The command scheduler guarantees that no two exclusive commands run at once.
 *
 * Past 350 lines (~390) on purpose: it is the one facade every handler calls, and each of its ~30
 * methods is a guard and a call into the module that does the work (training.ts, inference.ts,
 * inspect.ts, report.ts, modelCopy.ts, layersFormat.ts); splitting the facade would only spread
 * the model and its version over several owners.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../shared/constants';
import type { CellImages, Inspection, ModelFacts, ModelInfo, Prediction, RunSummary, TestReport } from '../shared/protocol';
import { configErrorText, validateConfig, type ConfigKey, type TrainConfig } from '../shared/trainConfig';
import type { MnistData, SplitData } from './dataset';
import { DeviceDataCache } from './deviceData';
import { EngineError } from './errors';
import { argmaxRows, firstLayerUnitMajor, logitsOfPixels, probsOfImages, probsOfLabelled, probsOfPixels } from './inference';
import { inspectInput } from './inspect';
import { fromLayersModel, toLayersModel } from './layersFormat';
import { flatFromArrays, paramsFromFlat } from './mlp';
import { describeModel, loadedModel, type LoadedModelInfo, type Model } from './model';
import { copyOf, restoreCopy, type ModelCopy } from './modelCopy';
import { cellImagesOf, reportFromProbs } from './report';
import { RunControl } from './runControl';
import type { Stepper, StepTrace, TrainPath } from './stepper';
import { trainPathFor, type KernelMode } from './trainPath';
import { runTraining, traceModelStep, type TrainingContext } from './training';
import { DEFAULT_TIMING, type EngineTiming, type Post } from './trainingRun';

export { EngineError } from './errors';
export type { EngineTiming } from './trainingRun';
export type { LoadedModelInfo } from './model';

export const NO_MODEL = 'Train a model first, or load one.';

function checkPixels(pixels: Float32Array, what: string): void {
  if (pixels.length !== IMAGE_PIXELS) throw new EngineError('internal', `${what} needs ${IMAGE_PIXELS} pixels, got ${pixels.length}`);
}

export class Engine {
  private data: MnistData | null = null;
  private model: Model | null = null;
  /** Bumped whenever the model is replaced or retrained; every result carries it. */
  private modelVersion = 0;
  private readonly device = new DeviceDataCache();
  /** The digit read for each test image at the last test evaluation, and the model version it was. */
  private testReadings: { version: number; predicted: Uint8Array } | null = null;
  /** The running run's control and stepper (null when idle). */
  private control: RunControl | null = null;
  private live: Stepper | null = null;
  /** Checked at every loss read: returns an error when the device is unusable (e.g. a lost WebGL context). */
  healthCheck: () => EngineError | null = () => null;
  /** Called when training pauses or resumes (the scheduler re-posts its phase). */
  onPauseChange: () => void = () => {};
  /** Whether runs on the wasm backend train on the kernel (trainPath.ts); the bench and tests force one path. */
  kernelMode: KernelMode = 'auto';

  constructor(
    private readonly post: Post,
    readonly timing: EngineTiming = DEFAULT_TIMING,
  ) {}

  /** The decoded dataset (kept on the host; uploaded per run). */
  setData(data: MnistData): void {
    this.data = data;
    this.device.dispose();
  }

  get isTraining(): boolean {
    return this.control !== null;
  }

  get isPaused(): boolean {
    return this.control?.isPaused ?? false;
  }

  /** The code the next run trains with on the active backend (trainPath.ts). */
  get trainPath(): TrainPath {
    return trainPathFor(tf.getBackend(), this.kernelMode);
  }

  get hasModel(): boolean {
    return this.model !== null;
  }

  /** The version of the current model (0 before any). */
  get version(): number {
    return this.modelVersion;
  }

  /** The current model as the page sees it. */
  get info(): ModelInfo {
    const m = this.model;
    if (!m) return { version: this.modelVersion, source: 'none', description: '', config: null, testAccuracy: null };
    const description = m.loadedDescription ?? describeModel(m.sizes, m.epochsTrained, m.testAccuracy, m.stoppedAt);
    const facts: ModelFacts | null =
      m.loadedDescription !== null ? m.loadedFacts : m.stoppedAt ? null : { kind: 'trained', sizes: [...m.sizes], epochs: m.epochsTrained };
    const info: ModelInfo = { version: this.modelVersion, source: m.source, description, config: m.config, testAccuracy: m.testAccuracy };
    return facts ? { ...info, facts } : info;
  }

  /** A host copy of the flat parameter vector [P] (layout of mlp.ts), or null without a model. */
  async weights(): Promise<Float32Array | null> {
    const m = this.model;
    if (!m) return null;
    if (!m.params) return m.hostParams!.slice();
    return flatFromArrays(await Promise.all(this.paramsOnDevice(m).map(async (p) => (await p.data()) as Float32Array)));
  }

  /** Hidden-layer activation of the current model, or null. */
  get modelActivation(): Model['activation'] | null {
    return this.model?.activation ?? null;
  }

  /** Layer widths of the current model, or null. */
  get modelSizes(): number[] | null {
    return this.model ? [...this.model.sizes] : null;
  }

  pause(): void {
    this.control?.pause();
  }

  resume(): void {
    this.control?.resume();
  }

  /** Stops after the current step; the run then evaluates the test set and `train` resolves. */
  stop(): void {
    this.control?.stop();
  }

  /** Ends the run without evaluating (Reset); `train` resolves with outcome 'cancelled'. */
  cancel(): void {
    this.control?.cancel();
  }

  /** Ends the run with an error (e.g. a lost WebGL context); `train` rejects with it. */
  abort(error: EngineError): void {
    this.control?.abort(error);
  }

  /**
   * Trains with `config` (a new model, or the current one when `continueTraining` fits it),
   * streaming runStarted/batch/epoch/firstLayer/model events, then evaluates the test set.
   * `trainSet` replaces the training split (fine-tuning on a mix); validation stays the config's.
   * @returns how the run ended, with the test report (null when cancelled).
   * @throws EngineError ('config', 'data', 'nan', 'context-lost', 'oom', 'backend', 'internal').
   */
  async train(config: TrainConfig, continueTraining = false, trainSet: SplitData | null = null): Promise<RunSummary> {
    const messages = Object.entries(validateConfig(config)).map(([k, e]) => configErrorText(k as ConfigKey, e));
    if (messages.length) throw new EngineError('config', messages.join('; '));
    // The scheduler runs one exclusive command at a time: two runs at once are a bug, not a request to refuse.
    if (this.control) throw new EngineError('internal', 'a run started while another was running');
    if (!this.data) throw new EngineError('data', 'The dataset is not loaded yet.');
    this.control = new RunControl(() => this.onPauseChange());
    try {
      return await runTraining(this.context(), this.control, config, continueTraining, trainSet);
    } finally {
      this.control = null;
    }
  }

  /**
   * Real training steps of the current model on an explicit batch (e.g. one drawn digit and its
   * label), by the code that trains on this backend, with every value the last one computed
   * (training.ts). The weights and the optimizer state change as those steps change them; the
   * version is bumped once.
   * @param pixels [rows * 784] 0..1; @param labels [rows] digits.
   * @param config optimizer, learning rate and dropout (default: the model's last run's, else the recipe's).
   * @param times steps to take (each one's own loss is in `losses`, its logits in `logits`).
   */
  async traceStep(
    pixels: Float32Array,
    labels: number[],
    config: Partial<TrainConfig> = {},
    times = 1,
  ): Promise<StepTrace & { version: number; losses: number[]; logits: Float32Array[] }> {
    if (!this.model) throw new EngineError('model', NO_MODEL);
    if (this.control) throw new EngineError('internal', 'traceStep while a run is running');
    return traceModelStep(this.context(), pixels, labels, config, times);
  }

  /** A copy of the current model's weights, normaliser, config and optimizer state, for `restoreModel` (an Undo). */
  async copyModel(): Promise<ModelCopy> {
    const m = this.model;
    if (!m) throw new EngineError('model', NO_MODEL);
    return copyOf(m, this.paramsOnDevice(m), (await this.weights())!);
  }

  /**
   * Puts a copy made by `copyModel` back into the same model (modelCopy.ts); bumps the version and
   * tells the page. @throws EngineError 'model' when the model was replaced since the copy.
   */
  async restoreModel(copy: ModelCopy): Promise<ModelInfo> {
    const m = this.model;
    if (!m || m !== copy.model) throw new EngineError('model', 'The model was replaced since: there is nothing to restore.');
    if (this.control) throw new EngineError('internal', 'restoreModel while a run is running');
    if (restoreCopy(copy, this.paramsOnDevice(m), this.trainPath === 'tfjs' ? tf.getBackend() : 'kernel')) this.device.dispose();
    this.modelVersion++;
    this.postModel();
    await this.postFirstLayer();
    return this.info;
  }

  /** What a run (training.ts) may read and change of the engine. */
  private context(): TrainingContext {
    const { data, post, timing, kernelMode, device } = this;
    return {
      ...{ data, post, timing, kernelMode, device },
      healthCheck: () => this.healthCheck(),
      model: () => this.model,
      setModel: (m) => (this.model = m),
      newVersion: () => ++this.modelVersion,
      disposeModel: () => this.disposeModel(),
      paramsOnDevice: (m) => this.paramsOnDevice(m),
      setLive: (stepper) => (this.live = stepper),
      postModel: () => this.postModel(),
      postFirstLayer: () => this.postFirstLayer(),
      evaluate: (test) => this.evaluate(test),
    };
  }

  /** Tells the page about the current model. */
  postModel(): void {
    this.post({ type: 'model', ...this.info });
  }

  /** Sends the first dense layer's kernel as [units * 784], unit-major. */
  async postFirstLayer(): Promise<void> {
    const m = this.model;
    if (!m?.params) return;
    const version = this.modelVersion;
    const weights = await firstLayerUnitMajor(this.paramsOnDevice(m));
    this.post({ type: 'firstLayer', version, units: m.slots[0]!.units, weights }, [weights.buffer]);
  }

  /**
   * Classifies one digit with the current weights.
   * @param pixels [784] 0..1, white ink on black.
   * @returns [10] probabilities with the model's version, or null probabilities and a reason.
   */
  async predict(pixels: Float32Array): Promise<Prediction> {
    const m = this.model;
    const version = this.modelVersion;
    if (!m) return { version, probs: null, reason: NO_MODEL };
    checkPixels(pixels, 'predict');
    return { version, probs: await probsOfPixels(this.paramsOnDevice(m), m.activation, m.norm, pixels) };
  }

  /**
   * The ten logits (the output layer's sums, before softmax) of one digit: predict's forward pass
   * without its softmax, on the current backend, so a loss near 0 can still be told apart.
   * @param pixels [784] 0..1. @returns [10], or null without a model.
   */
  async logits(pixels: Float32Array): Promise<Float32Array | null> {
    const m = this.model;
    if (!m) return null;
    checkPixels(pixels, 'logits');
    return logitsOfPixels(this.paramsOnDevice(m), m.activation, m.norm, pixels);
  }

  /**
   * Class probabilities of labelled-or-not images with the current weights.
   * @param images [count * 784] bytes 0..255, white ink on black.
   * @returns [count * 10] probabilities, or null without a model.
   */
  async classify(images: Uint8Array, count: number): Promise<Float32Array | null> {
    const m = this.model;
    if (!m) return null;
    if (images.length !== count * IMAGE_PIXELS)
      throw new EngineError('internal', `classify needs ${count * IMAGE_PIXELS} bytes, got ${images.length}`);
    return probsOfImages(this.paramsOnDevice(m), m.activation, m.norm, images, count);
  }

  /** How the current model reads one input ([784] 0..1): probabilities, hidden activations, saliency gradient. */
  async inspect(pixels: Float32Array): Promise<Inspection> {
    const m = this.model;
    const version = this.modelVersion;
    if (!m) return { version, probs: null, predicted: -1, hidden: [], gradient: null, reason: NO_MODEL };
    checkPixels(pixels, 'inspect');
    return { version, ...(await inspectInput(this.paramsOnDevice(m), m.activation, m.norm, pixels)) };
  }

  /**
   * Evaluates the current model on a labelled split (default: the 10,000 test images) and
   * remembers its test accuracy.
   * @returns loss, accuracy, the 10x10 confusion counts and the most confident mistakes, with the model's version.
   */
  async evaluate(test: SplitData | null = this.data?.test ?? null): Promise<TestReport> {
    const m = this.model;
    if (!m) throw new EngineError('model', NO_MODEL);
    if (!test) throw new EngineError('data', 'The dataset is not loaded yet.');
    const version = this.modelVersion;
    const cached = test === this.data?.test ? this.device : null;
    const probs = await probsOfLabelled(this.paramsOnDevice(m), m.activation, m.norm, test, cached);
    const report = reportFromProbs(probs, test, version);
    if (test === this.data?.test && this.model === m && this.modelVersion === version) {
      this.testReadings = { version, predicted: argmaxRows(probs, test.count) };
      m.testAccuracy = report.testAccuracy;
      this.postModel();
    }
    return report;
  }

  /**
   * The test images the last evaluation of the current model put in cell (label, predicted).
   * @throws EngineError 'model' when the current model has not been evaluated.
   */
  cellImages(label: number, predicted: number, limit: number): CellImages {
    const test = this.data?.test;
    const readings = this.testReadings;
    if (!test || !readings || readings.version !== this.modelVersion)
      throw new EngineError('model', 'Evaluate the current model on the test set first.');
    return cellImagesOf(test, readings.predicted, readings.version, label, predicted, limit);
  }

  /** The current model as a tf.Sequential taking pixels in [0, 1] (normalisation folded in); the caller disposes it. */
  async toLayersModel(): Promise<tf.Sequential> {
    const m = this.model;
    if (!m) throw new EngineError('model', 'There is no model to export.');
    return toLayersModel(m.slots, m.activation, (await this.weights())!, m.norm);
  }

  /**
   * Replaces the model by a loaded one (dense layers 784 → … → 10 softmax, taking pixels in
   * [0, 1]); bumps the version and tells the page.
   * @throws EngineError 'model' when the shape, activations or numbers do not fit (the current model stays).
   */
  async loadLayersModel(source: tf.LayersModel, info: LoadedModelInfo): Promise<ModelInfo> {
    if (this.control) throw new EngineError('internal', 'a model was loaded while a run was running');
    const stack = await fromLayersModel(source);
    this.disposeModel();
    this.model = loadedModel(stack, info);
    this.modelVersion++;
    this.postModel();
    await this.postFirstLayer();
    return this.info;
  }

  /** Forgets the model (Reset): bumps the version and tells the page. */
  clearModel(): ModelInfo {
    if (this.control) throw new EngineError('internal', 'the model was cleared while a run was running');
    this.disposeModel();
    this.modelVersion++;
    this.postModel();
    return this.info;
  }

  /** Before a backend switch: parks the weights on the host and frees every tensor. */
  async releaseDevice(): Promise<void> {
    const m = this.model;
    if (m?.params) {
      m.hostParams = (await this.weights())!;
      tf.dispose(m.params);
      m.params = null;
    }
    // A tf.js optimizer's state lives on the old backend; a continued run after the switch starts it afresh.
    if (m?.optimizer && m.optimizer.backend !== 'kernel') {
      m.optimizer.dispose();
      m.optimizer = null;
    }
    this.device.dispose();
  }

  /** Frees everything (worker shutdown, tests). */
  dispose(): void {
    this.disposeModel();
    this.device.dispose();
  }

  /** The model's variables, brought back from the host after a backend switch, with the kernel's latest weights in them. */
  private paramsOnDevice(m: Model): tf.Variable[] {
    if (!m.params) {
      m.params = paramsFromFlat(m.hostParams!, m.slots);
      m.hostParams = null;
    }
    if (m === this.model) this.live?.commit();
    return m.params;
  }

  private disposeModel(): void {
    tf.dispose(this.model?.params ?? []);
    this.model?.optimizer?.dispose();
    this.model = null;
    // The cached splits were normalised for that model.
    this.device.dispose();
  }
}
