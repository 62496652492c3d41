/**
 * The training engine: owns the model (a kernel and a bias variable per dense
 * layer) and its version, the data on the device, training runs, prediction
 * and test evaluation. It talks to the outside only through `post` (protocol
 * events). No DOM, no WebGL: the backend is chosen by backend.ts; this module
 * runs in Node for the tests. The command scheduler guarantees that no two
 * exclusive commands (train, evaluate, load, reset, ...) run at once.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import type { CellImages, Inspection, ModelInfo, Prediction, RunSummary, TestReport } from '../shared/protocol';
import { MAX_TRAIN_SIZE, validateConfig, type TrainConfig } from '../shared/trainConfig';
import type { MnistData, SplitData } from './dataset';
import { DeviceDataCache, disposeSplit, uploadSplit, type DeviceSplit } from './deviceData';
import { EngineError, toEngineError } from './errors';
import { fromLayersModel, toLayersModel } from './layersFormat';
import { inspectInput } from './inspect';
import { flatFromArrays, forward, initParams, layerSizes, layout, Optimizer, paramsFromFlat, predictProbs } from './mlp';
import { BatchAugmenter } from './augment';
import { describeModel, type Model } from './model';
import { renormalizeFirstLayer } from './renormalize';
import { reportFromProbs } from './report';
import { fitNormalizer, normalizeRows, normalizeUnitPixels, rngFor, splitIndices } from './split';
import { DEFAULT_TIMING, TrainingRun, type EngineTiming, type Post, type RunHost } from './trainingRun';
import { yieldNow } from './yieldNow';

export { EngineError, toEngineError } from './errors';
export { describeModel } from './model';
export { reportFromProbs, MISTAKES_KEPT } from './report';
export { DEFAULT_TIMING, type EngineTiming, type Post } from './trainingRun';

export const NO_MODEL = 'Train a model first, or load one.';

/** How a loaded model is described to the page. */
export interface LoadedModelInfo {
  source: 'saved' | 'imported' | 'bundled';
  description: string;
  config: TrainConfig | null;
  testAccuracy: number | null;
}

/** The index of the largest of each row of `probs` [rows * 10]. */
function argmaxRows(probs: Float32Array, rows: number): Uint8Array {
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let d = 1; d < NUM_CLASSES; d++) if (probs[r * NUM_CLASSES + d]! > probs[r * NUM_CLASSES + best]!) best = d;
    out[r] = best;
  }
  return out;
}

export class Engine {
  private data: MnistData | null = null;
  private model: Model | null = null;
  /** Bumped whenever the model is replaced or retrained; every result carries it. */
  private modelVersion = 0;
  private readonly device = new DeviceDataCache();
  /** The digit read for each test image at the last test evaluation, and the model version it was. */
  private testReadings: { version: number; predicted: Uint8Array } | null = null;
  private running = false;
  private paused = false;
  private interruptWith: 'stop' | 'cancel' | EngineError | null = null;
  private rejectAborted: (e: EngineError) => void = () => {};
  private resumeWaiters: (() => void)[] = [];
  /** Checked at every loss read: returns an error when the device is unusable (e.g. a lost WebGL context). */
  healthCheck: () => EngineError | null = () => null;
  /** Called when training pauses or resumes (the scheduler re-posts its phase). */
  onPauseChange: () => void = () => {};

  constructor(
    private readonly post: Post,
    readonly timing: EngineTiming = DEFAULT_TIMING,
  ) {}

  /** The decoded dataset (kept on the host; uploaded per run). */
  setData(data: MnistData): void {
    this.data = data;
    this.device.dispose();
  }

  get hasData(): boolean {
    return this.data !== null;
  }

  get isTraining(): boolean {
    return this.running;
  }

  get isPaused(): boolean {
    return this.paused;
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
    return { version: this.modelVersion, source: m.source, description, config: m.config, testAccuracy: m.testAccuracy };
  }

  /** A host copy of the flat parameter vector [P] (layout of mlp.ts), or null without a model. */
  async weights(): Promise<Float32Array | null> {
    const m = this.model;
    if (!m) return null;
    if (!m.params) return m.hostParams!.slice();
    return flatFromArrays(await Promise.all(m.params.map(async (p) => (await p.data()) as Float32Array)));
  }

  /** Hidden-layer activation of the current model, or null. */
  get modelActivation(): Model['activation'] | null {
    return this.model?.activation ?? null;
  }

  /** Layer widths of the current model, or null. */
  get modelSizes(): number[] | null {
    return this.model ? [...this.model.sizes] : null;
  }

  // ------------------------------------------------------------- run control

  pause(): void {
    if (!this.running || this.paused) return;
    this.paused = true;
    this.onPauseChange();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.onPauseChange();
    for (const w of this.resumeWaiters.splice(0)) w();
  }

  /** Stops after the current step; the run then evaluates the test set and `train` resolves. */
  stop(): void {
    this.interrupt('stop');
  }

  /** Ends the run without evaluating (Reset); `train` resolves with outcome 'cancelled'. */
  cancel(): void {
    this.interrupt('cancel');
  }

  /** Ends the run with an error (e.g. a lost WebGL context); `train` rejects with it. */
  abort(error: EngineError): void {
    if (this.running && !(this.interruptWith instanceof EngineError)) this.rejectAborted(error);
    this.interrupt(error);
  }

  private interrupt(why: 'stop' | 'cancel' | EngineError): void {
    if (!this.running) return;
    // An error wins over a cancel, a cancel over a stop.
    const rank = (w: typeof this.interruptWith) => (w instanceof EngineError ? 3 : w === 'cancel' ? 2 : w === 'stop' ? 1 : 0);
    if (rank(why) > rank(this.interruptWith)) this.interruptWith = why;
    this.resume();
  }

  // ------------------------------------------------------------ training

  /**
   * Trains with `config` (a new model, or the current one when `continueTraining` fits it),
   * streaming runStarted/batch/epoch/firstLayer/model events, then evaluates the test set.
   * `trainSet` replaces the training split (fine-tuning on a mix); validation stays the config's.
   * @returns how the run ended, with the test report (null when cancelled).
   * @throws EngineError ('config', 'data', 'nan', 'context-lost', 'oom', 'internal').
   */
  async train(config: TrainConfig, continueTraining = false, trainSet: SplitData | null = null): Promise<RunSummary> {
    const messages = Object.values(validateConfig(config));
    if (messages.length) throw new EngineError('config', messages.join('; '));
    if (this.running) throw new EngineError('refused', 'Training is already running: stop it first.');
    if (!this.data) throw new EngineError('data', 'The dataset is not loaded yet.');
    const data = this.data;
    this.running = true;
    this.paused = false;
    this.interruptWith = null;
    const aborted = new Promise<never>((_, reject) => (this.rejectAborted = reject));
    aborted.catch(() => {});
    let ownTrain: DeviceSplit | null = null;
    try {
      const { run, model, continued, ownTrainData } = this.prepareRun(config, continueTraining, data, aborted, trainSet);
      ownTrain = ownTrainData;
      const version = this.modelVersion;
      this.post({ type: 'runStarted', version, epochs: config.epochs, stepsPerEpoch: run.stepsPerEpoch, continued });
      this.postModel();
      const epochsBefore = model.epochsTrained;
      const result = await run.execute();
      model.epochsTrained = epochsBefore + result.steps / result.stepsPerEpoch;
      const summary: RunSummary = {
        version,
        outcome: result.outcome,
        steps: result.steps,
        stepsPerEpoch: result.stepsPerEpoch,
        epochsRun: result.steps / result.stepsPerEpoch,
        elapsedMs: result.elapsedMs,
        report: null,
      };
      if (result.outcome === 'cancelled') return summary;
      await this.postFirstLayer();
      summary.report = await this.evaluate(data.test);
      return summary;
    } catch (e) {
      // After a failed run (NaN, lost context, out of memory) the optimizer state is not trusted.
      this.model?.optimizer?.dispose();
      if (this.model) this.model.optimizer = null;
      if (this.model) this.postModel();
      throw toEngineError(e);
    } finally {
      disposeSplit(ownTrain);
      this.running = false;
      this.paused = false;
      this.interruptWith = null;
    }
  }

  /** The model (new or continued, version bumped), its optimizer and data on the device, and the run. */
  private prepareRun(
    config: TrainConfig,
    continueTraining: boolean,
    data: MnistData,
    aborted: Promise<never>,
    trainSet: SplitData | null,
  ): { run: TrainingRun; model: Model; continued: boolean; ownTrainData: DeviceSplit | null } {
    const sizes = layerSizes(config.hiddenUnits);
    const old = this.model;
    const keep =
      continueTraining &&
      old !== null &&
      old.sizes.join() === sizes.join() &&
      old.activation === config.activation &&
      (old.config === null || old.config.normalization === config.normalization);
    const split = splitIndices(data.train.count, config.trainSize, config.seed);
    if (!keep) {
      this.disposeModel();
      const { slots } = layout(sizes);
      this.model = {
        sizes,
        slots,
        activation: config.activation,
        params: paramsFromFlat(initParams(sizes, rngFor(config.seed, 'init')), slots),
        hostParams: null,
        norm: fitNormalizer(data.train.images, split.train, config.normalization),
        config: null,
        epochsTrained: 0,
        optimizer: null,
        stoppedAt: null,
        source: 'trained',
        loadedDescription: null,
        testAccuracy: null,
      };
    }
    this.modelVersion++;
    const model = this.model!;
    if (keep && model.config === null && config.normalization === 'standardize') {
      // A loaded model takes raw pixels: unfold its first layer to standardised inputs, so it trains like the model it was.
      this.renormalize(
        model,
        fitNormalizer(data.train.images, splitIndices(data.train.count, MAX_TRAIN_SIZE, config.seed).train, 'standardize'),
      );
    }
    const params = this.paramsOnDevice(model);
    model.config = { ...config, hiddenUnits: [...config.hiddenUnits] };
    model.stoppedAt = null;
    model.source = 'trained';
    model.loadedDescription = null;
    model.testAccuracy = null;
    const key = `${config.seed}/${config.trainSize}`;
    const ownTrainData = trainSet
      ? uploadSplit(
          trainSet,
          new Int32Array(trainSet.count).map((_, i) => i),
          model.norm,
          true,
        )
      : null;
    const trainData = ownTrainData ?? this.device.get('train', data.train, split.train, model.norm, key);
    const valData = this.device.get('val', data.train, split.validation, model.norm, key);

    // A continued run with the same optimizer keeps its moments and step count (as Keras' fit would).
    let optimizer = model.optimizer;
    if (optimizer && optimizer.kind === config.optimizer && optimizer.backend === tf.getBackend()) {
      optimizer.setLearningRate(config.learningRate);
    } else {
      optimizer?.dispose();
      optimizer = model.optimizer = new Optimizer(config.optimizer, config.learningRate, params);
    }
    const host: RunHost = {
      post: this.post,
      timing: this.timing,
      version: this.modelVersion,
      interruption: () => this.interruptWith,
      aborted,
      waitWhilePaused: async () => {
        if (!this.paused) return 0;
        const p0 = performance.now();
        await new Promise<void>((r) => this.resumeWaiters.push(r));
        return performance.now() - p0;
      },
      healthCheck: () => this.healthCheck(),
      lossAndAccuracy: (s) => this.lossAndAccuracy(s),
      postFirstLayer: () => this.postFirstLayer(),
    };
    // Augmented batches are made from the raw images of the training rows, normalised as the model wants.
    const augmenter =
      config.augment > 0
        ? trainSet
          ? new BatchAugmenter(
              trainSet.images,
              new Int32Array(trainSet.count).map((_, i) => i),
              trainSet.labels,
              model.norm,
              config.augment,
              config.seed,
            )
          : new BatchAugmenter(data.train.images, split.train, data.train.labels, model.norm, config.augment, config.seed)
        : null;
    return {
      run: new TrainingRun(host, model, params, optimizer, config, trainData, valData, augmenter),
      model,
      continued: keep,
      ownTrainData,
    };
  }

  /** Gives the model's first layer to inputs normalised by `norm` (same outputs, other parameterisation). */
  private renormalize(m: Model, norm: Model['norm']): void {
    const params = this.paramsOnDevice(m);
    const units = m.slots[0]!.units;
    const { kernel, bias } = renormalizeFirstLayer(
      params[0]!.dataSync() as Float32Array,
      params[1]!.dataSync() as Float32Array,
      units,
      m.norm,
      norm,
    );
    tf.tidy(() => {
      params[0]!.assign(tf.tensor2d(kernel, [kernel.length / units, units]));
      params[1]!.assign(tf.tensor1d(bias));
    });
    m.norm = norm;
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
    const s = m.slots[0]!;
    const t = tf.tidy(() => tf.transpose(m.params![0]!));
    const weights = (await t.data()) as Float32Array;
    t.dispose();
    this.post({ type: 'firstLayer', version, units: s.units, weights }, [weights.buffer]);
  }

  // ---------------------------------------------------------- inference

  /**
   * Classifies one digit with the current weights.
   * @param pixels [784] 0..1, white ink on black.
   * @returns [10] probabilities with the model's version, or null probabilities and a reason.
   */
  async predict(pixels: Float32Array): Promise<Prediction> {
    const m = this.model;
    const version = this.modelVersion;
    if (!m) return { version, probs: null, reason: NO_MODEL };
    if (pixels.length !== IMAGE_PIXELS) throw new EngineError('internal', `predict needs ${IMAGE_PIXELS} pixels, got ${pixels.length}`);
    const params = this.paramsOnDevice(m);
    const probs = tf.tidy(() => predictProbs(params, m.activation, tf.tensor2d(normalizeUnitPixels(pixels, m.norm), [1, IMAGE_PIXELS])));
    const out = (await probs.data()) as Float32Array;
    probs.dispose();
    return { version, probs: out };
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
    if (!count) return new Float32Array(0);
    const params = this.paramsOnDevice(m);
    const rows = new Int32Array(count).map((_, i) => i);
    const probs = tf.tidy(() =>
      predictProbs(params, m.activation, tf.tensor2d(normalizeRows(images, rows, m.norm), [count, IMAGE_PIXELS])),
    );
    const out = (await probs.data()) as Float32Array;
    probs.dispose();
    return out;
  }

  /** How the current model reads one input ([784] 0..1): probabilities, hidden activations, saliency gradient. */
  async inspect(pixels: Float32Array): Promise<Inspection> {
    const m = this.model;
    const version = this.modelVersion;
    if (!m) return { version, probs: null, predicted: -1, hidden: [], gradient: null, reason: NO_MODEL };
    if (pixels.length !== IMAGE_PIXELS) throw new EngineError('internal', `inspect needs ${IMAGE_PIXELS} pixels, got ${pixels.length}`);
    return { version, ...(await inspectInput(this.paramsOnDevice(m), m.activation, m.norm, pixels)) };
  }

  /** Mean cross-entropy and accuracy on a split already on the device. */
  private async lossAndAccuracy(split: DeviceSplit): Promise<{ loss: number; accuracy: number }> {
    const m = this.model!;
    const params = this.paramsOnDevice(m);
    let lossSum = 0;
    let correct = 0;
    for (const { x, y } of split.chunks) {
      const sums = tf.tidy(() => {
        const logits = forward(params, m.activation, x).logits;
        const loss = tf.neg(tf.sum(tf.mul(tf.oneHot(y, NUM_CLASSES).asType('float32'), tf.logSoftmax(logits))));
        return tf.stack([loss, tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'))]);
      });
      const [l, c] = await sums.data();
      sums.dispose();
      lossSum += l!;
      correct += c!;
      // A chunk at a time, so a predict request waits for one chunk, not for the whole split.
      await yieldNow();
    }
    return { loss: lossSum / split.count, accuracy: correct / split.count };
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
    const all = new Int32Array(test.count).map((_, i) => i);
    const split = test === this.data?.test ? this.device.get('test', test, all, m.norm, 'test') : uploadSplit(test, all, m.norm);
    const params = this.paramsOnDevice(m);
    const probs = new Float32Array(test.count * NUM_CLASSES);
    try {
      let row = 0;
      for (const { x } of split.chunks) {
        const p = tf.tidy(() => predictProbs(params, m.activation, x));
        probs.set(await p.data(), row * NUM_CLASSES);
        row += x.shape[0];
        p.dispose();
        await yieldNow();
      }
    } finally {
      if (!this.device.owns(split)) disposeSplit(split);
    }
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
    const all: number[] = [];
    for (let i = 0; i < test.count; i++) if (test.labels[i] === label && readings.predicted[i] === predicted) all.push(i);
    const indices = Int32Array.from(all.slice(0, Math.max(0, limit)));
    const pixels = new Uint8Array(indices.length * IMAGE_PIXELS);
    indices.forEach((src, r) => pixels.set(test.images.subarray(src * IMAGE_PIXELS, (src + 1) * IMAGE_PIXELS), r * IMAGE_PIXELS));
    return { version: readings.version, label, predicted, total: all.length, indices, pixels };
  }

  // ------------------------------------------------- export and import

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
    if (this.running) throw new EngineError('refused', 'Stop training to load a model.');
    const stack = await fromLayersModel(source);
    this.disposeModel();
    this.model = {
      sizes: stack.sizes,
      slots: stack.slots,
      activation: stack.activation,
      params: paramsFromFlat(stack.flat, stack.slots),
      hostParams: null,
      norm: stack.norm,
      config: info.config,
      epochsTrained: 0,
      optimizer: null,
      stoppedAt: null,
      source: info.source,
      loadedDescription: info.description,
      testAccuracy: info.testAccuracy,
    };
    this.modelVersion++;
    this.postModel();
    await this.postFirstLayer();
    return this.info;
  }

  /** Forgets the model (Reset): bumps the version and tells the page. */
  clearModel(): ModelInfo {
    if (this.running) throw new EngineError('refused', 'Stop training before resetting.');
    this.disposeModel();
    this.modelVersion++;
    this.postModel();
    return this.info;
  }

  // ----------------------------------------------------- device memory

  /** Before a backend switch: parks the weights on the host and frees every tensor. */
  async releaseDevice(): Promise<void> {
    const m = this.model;
    if (m?.params) {
      m.hostParams = (await this.weights())!;
      tf.dispose(m.params);
      m.params = null;
    }
    // The optimizer state lives on the old backend; a continued run after the switch starts it afresh.
    m?.optimizer?.dispose();
    if (m) m.optimizer = null;
    this.device.dispose();
  }

  /** Frees everything (worker shutdown, tests). */
  dispose(): void {
    this.disposeModel();
    this.device.dispose();
  }

  private paramsOnDevice(m: Model): tf.Variable[] {
    if (!m.params) {
      m.params = paramsFromFlat(m.hostParams!, m.slots);
      m.hostParams = null;
    }
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
