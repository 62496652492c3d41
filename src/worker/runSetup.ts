/**
 * What a run starts from: the model (a new one, or the current one continued),
 * its data where the training code wants it, the optimizer state it continues
 * with, and the stepper (kernel or tf.js, trainPath.ts) that trains it.
 */
import * as tf from '@tensorflow/tfjs';
import { MAX_TRAIN_SIZE, type TrainConfig } from '../shared/trainConfig';
import { BatchAugmenter } from './augment';
import type { MnistData, SplitData } from './dataset';
import { DeviceDataCache, uploadSplit, type DeviceSplit } from './deviceData';
import { EngineError } from './errors';
import { KernelOptimizerState, KernelStepper, type KernelRows } from './kernel/kernelStepper';
import { kernelModule } from './kernel/kernelModule';
import { assignFlat, initParams, layerSizes, layout, Optimizer, paramsFromFlat } from './mlp';
import type { Model } from './model';
import { renormalizeFirstLayer } from './renormalize';
import { fitNormalizer, rngFor, splitIndices, type Normalizer, type SplitIndices } from './split';
import type { Stepper, TrainPath } from './stepper';
import { TfStepper } from './tfStepper';
import type { PhaseTimes } from './trainingRun';

/** True when a run with `config` continues `old` (same shape, activation and normalisation). */
export function continues(old: Model | null, config: TrainConfig): boolean {
  const sizes = layerSizes(config.hiddenUnits);
  return (
    old !== null &&
    old.sizes.join() === sizes.join() &&
    old.activation === config.activation &&
    (old.config === null || old.config.normalization === config.normalization)
  );
}

/** A new model for `config`: Glorot weights from its seed, the normaliser fitted on its training rows. */
export function freshModel(config: TrainConfig, data: MnistData, split: SplitIndices): Model {
  const sizes = layerSizes(config.hiddenUnits);
  const { slots } = layout(sizes);
  return {
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
    loadedFacts: null,
    testAccuracy: null,
  };
}

/**
 * Marks `model` as trained by `config` from now on; a continued loaded model (raw pixels) is first
 * unfolded to standardised inputs when the run standardises.
 */
export function startTraining(model: Model, params: tf.Variable[], config: TrainConfig, continued: boolean, data: MnistData): void {
  if (continued && model.config === null && config.normalization === 'standardize') unfoldLoaded(model, params, data, config.seed);
  model.config = { ...config, hiddenUnits: [...config.hiddenUnits] };
  model.stoppedAt = null;
  model.source = 'trained';
  model.loadedDescription = null;
  model.loadedFacts = null;
  model.testAccuracy = null;
}

/**
 * A loaded model takes raw pixels (its normalisation folded into the first layer): gives that layer
 * to standardised inputs (fitted on the largest training split of `seed`), so it trains like the model it was.
 */
export function unfoldLoaded(m: Model, params: tf.Variable[], data: MnistData, seed: number): void {
  const norm = fitNormalizer(data.train.images, splitIndices(data.train.count, MAX_TRAIN_SIZE, seed).train, 'standardize');
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

/** Everything the stepper of a run needs. */
export interface StepperInput {
  path: TrainPath;
  model: Model;
  params: tf.Variable[];
  config: TrainConfig;
  data: MnistData;
  split: SplitIndices;
  /** The fine-tune mix replacing the training split, or null. */
  trainSet: SplitData | null;
  device: DeviceDataCache;
  phases?: PhaseTimes;
}

/** A stepper and what it made that the engine frees after the run. */
export interface RunStepper {
  stepper: Stepper;
  /** The fine-tune mix on the device (tf.js path), freed after the run. */
  ownTrain: DeviceSplit | null;
}

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** The augmenter of a run (augment > 0): warps of the raw training rows. */
function augmenterFor(config: TrainConfig, data: MnistData, split: SplitIndices, trainSet: SplitData | null, norm: Normalizer) {
  if (!(config.augment > 0)) return null;
  return trainSet
    ? new BatchAugmenter(trainSet.images, all(trainSet.count), trainSet.labels, norm, config.augment, config.seed)
    : new BatchAugmenter(data.train.images, split.train, data.train.labels, norm, config.augment, config.seed);
}

/**
 * Makes the run's stepper, continuing the model's optimizer state when it is the same optimizer
 * in the same place (as Keras' fit would); any other kept state is freed and the run starts afresh.
 * @throws EngineError 'backend' when the kernel cannot be loaded.
 */
export async function makeStepper(input: StepperInput): Promise<RunStepper> {
  const { path, model, params, config, data, split, trainSet, device, phases } = input;
  const home = path === 'tfjs' ? tf.getBackend() : 'kernel';
  let kept = model.optimizer;
  if (kept && (kept.kind !== config.optimizer || kept.backend !== home)) {
    kept.dispose();
    kept = model.optimizer = null;
  }
  const augmenter = augmenterFor(config, data, split, trainSet, model.norm);
  if (path !== 'tfjs') {
    const module = await kernelModule().catch((e: unknown) => {
      throw new EngineError('backend', `The training kernel could not be loaded: ${e instanceof Error ? e.message : String(e)}`, 'wasm');
    });
    const train: KernelRows = trainSet
      ? { images: trainSet.images, labels: trainSet.labels, rows: null, count: trainSet.count }
      : { images: data.train.images, labels: data.train.labels, rows: split.train, count: split.train.length };
    const validation: KernelRows = {
      images: data.train.images,
      labels: data.train.labels,
      rows: split.validation,
      count: split.validation.length,
    };
    const flat = new Float32Array(params.reduce((a, p) => a + p.size, 0));
    let off = 0;
    for (const p of params) {
      flat.set(p.dataSync() as Float32Array, off);
      off += p.size;
    }
    const stepper = new KernelStepper({
      module,
      sizes: model.sizes,
      activation: model.activation,
      norm: model.norm,
      config,
      sparse: path === 'kernel-sparse',
      weights: flat,
      optimizer: kept instanceof KernelOptimizerState ? kept : null,
      train,
      validation,
      augmenter,
      commit: (w) => assignFlat(params, w),
      ...(phases ? { phases } : {}),
    });
    return { stepper, ownTrain: null };
  }
  const key = `${config.seed}/${config.trainSize}`;
  const ownTrain = trainSet ? uploadSplit(trainSet, all(trainSet.count), model.norm, true) : null;
  const train = ownTrain ?? device.get('train', data.train, split.train, model.norm, key);
  const validation = device.get('val', data.train, split.validation, model.norm, key);
  let optimizer = kept instanceof Optimizer ? kept : null;
  if (optimizer) optimizer.setLearningRate(config.learningRate);
  else optimizer = new Optimizer(config.optimizer, config.learningRate, params);
  model.optimizer = optimizer;
  const stepper = new TfStepper({
    params,
    optimizer,
    activation: model.activation,
    norm: model.norm,
    config,
    train,
    validation,
    augmenter,
    ...(phases ? { phases } : {}),
  });
  return { stepper, ownTrain };
}

/**
 * A stepper for one explicit batch (a traced step of the current model, no training set): the
 * optimizer `config` names, continuing the model's kept state when it fits; a loaded model is
 * unfolded to standardised inputs first, as a continued run would. `dispose` frees what it made.
 */
export async function traceStepper(
  model: Model,
  params: tf.Variable[],
  data: MnistData | null,
  path: TrainPath,
  config: TrainConfig,
): Promise<{ stepper: Stepper; dispose: () => void }> {
  const cfg: TrainConfig = { ...config, hiddenUnits: model.sizes.slice(1, -1), augment: 0 };
  if (model.config === null && data) unfoldLoaded(model, params, data, cfg.seed);
  model.config ??= cfg;
  const nothing = { count: 0, images: new Uint8Array(0), labels: new Uint8Array(0) };
  // Its own device cache, so the run's cached splits stay.
  const device = new DeviceDataCache();
  const { stepper } = await makeStepper({
    path,
    model,
    params,
    config: cfg,
    data: { train: nothing, test: nothing },
    split: { train: new Int32Array(0), validation: new Int32Array(0) },
    trainSet: null,
    device,
  });
  return {
    stepper,
    dispose: () => {
      stepper.dispose();
      device.dispose();
    },
  };
}
