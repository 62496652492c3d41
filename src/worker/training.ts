/**
 * How the engine trains: one run (a new model or the current one continued,
 * its stepper, the TrainingRun, the test evaluation after it), and one traced
 * step on an explicit batch. The engine keeps the model and its version and
 * hands these functions a TrainingContext.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunSummary, TestReport } from '../shared/protocol';
import { DEFAULT_CONFIG, type TrainConfig } from '../shared/trainConfig';
import type { MnistData, SplitData } from './dataset';
import { disposeSplit, type DeviceDataCache, type DeviceSplit } from './deviceData';
import { toEngineError, type EngineError } from './errors';
import type { Model } from './model';
import type { RunControl } from './runControl';
import { continues, freshModel, makeStepper, startTraining, traceStepper } from './runSetup';
import { splitIndices } from './split';
import type { Stepper, StepTrace } from './stepper';
import { trainPathFor, type KernelMode } from './trainPath';
import { TrainingRun, type EngineTiming, type Post } from './trainingRun';
import { yieldNow } from './yieldNow';

/** What a run may read and change of the engine. */
export interface TrainingContext {
  readonly data: MnistData | null;
  readonly post: Post;
  readonly timing: EngineTiming;
  readonly kernelMode: KernelMode;
  readonly device: DeviceDataCache;
  healthCheck(): EngineError | null;
  model(): Model | null;
  setModel(m: Model): void;
  /** Bumps the model version and returns it. */
  newVersion(): number;
  disposeModel(): void;
  paramsOnDevice(m: Model): tf.Variable[];
  /** The stepper whose weights every read commits first (null when none trains). */
  setLive(s: Stepper | null): void;
  postModel(): void;
  postFirstLayer(): Promise<void>;
  evaluate(test: SplitData): Promise<TestReport>;
}

/**
 * One run with `config` (see Engine.train).
 * @throws EngineError ('data', 'nan', 'context-lost', 'oom', 'backend', 'internal').
 */
export async function runTraining(
  ctx: TrainingContext,
  control: RunControl,
  config: TrainConfig,
  continueTraining: boolean,
  trainSet: SplitData | null,
): Promise<RunSummary> {
  const data = ctx.data!;
  let ownTrain: DeviceSplit | null = null;
  let stepper: Stepper | null = null;
  try {
    const split = splitIndices(data.train.count, config.trainSize, config.seed);
    const continued = continueTraining && continues(ctx.model(), config);
    if (!continued) {
      ctx.disposeModel();
      ctx.setModel(freshModel(config, data, split));
    }
    const version = ctx.newVersion();
    const model = ctx.model()!;
    const params = ctx.paramsOnDevice(model);
    startTraining(model, params, config, continued, data);
    const path = trainPathFor(tf.getBackend(), ctx.kernelMode);
    const phases = ctx.timing.phases;
    ({ stepper, ownTrain } = await makeStepper({ path, model, params, config, data, split, trainSet, device: ctx.device, phases }));
    ctx.setLive(stepper);
    const { post, timing } = ctx;
    const host = { post, timing, version, control, healthCheck: () => ctx.healthCheck(), postFirstLayer: () => ctx.postFirstLayer() };
    const run = new TrainingRun(host, model, stepper, config);
    post({ type: 'runStarted', version, epochs: config.epochs, stepsPerEpoch: run.stepsPerEpoch, continued });
    ctx.postModel();
    const epochsBefore = model.epochsTrained;
    const { outcome, steps, stepsPerEpoch, elapsedMs } = await run.execute();
    stepper.commit();
    model.optimizer = stepper.optimizer;
    model.epochsTrained = epochsBefore + steps / stepsPerEpoch;
    const summary: RunSummary = { version, outcome, steps, stepsPerEpoch, epochsRun: steps / stepsPerEpoch, elapsedMs, report: null };
    end(ctx, stepper);
    stepper = null;
    if (outcome === 'cancelled') return summary;
    await ctx.postFirstLayer();
    summary.report = await ctx.evaluate(data.test);
    return summary;
  } catch (e) {
    // The last good weights (restored after a NaN) go back to the model; its optimizer state is not trusted.
    stepper?.commit();
    const m = ctx.model();
    if (m) {
      m.optimizer?.dispose();
      m.optimizer = null;
      ctx.postModel();
    }
    throw toEngineError(e);
  } finally {
    if (stepper) end(ctx, stepper);
    disposeSplit(ownTrain);
  }
}

function end(ctx: TrainingContext, stepper: Stepper): void {
  stepper.dispose();
  ctx.setLive(null);
}

/**
 * `times` real steps of the current model on one explicit batch (see Engine.traceStep), in one
 * stepper, so the optimizer's state runs on from step to step as in a run; the version is bumped
 * once. Returns the last step's trace and, in order, each step's own loss (before its update) and
 * its output layer's sums (logits [rows * 10]).
 */
export async function traceModelStep(
  ctx: TrainingContext,
  pixels: Float32Array,
  labels: number[],
  config: Partial<TrainConfig>,
  times = 1,
): Promise<StepTrace & { version: number; losses: number[]; logits: Float32Array[] }> {
  const m = ctx.model()!;
  const path = trainPathFor(tf.getBackend(), ctx.kernelMode);
  const cfg = { ...DEFAULT_CONFIG, ...m.config, ...config, batchSize: labels.length };
  const { stepper, dispose } = await traceStepper(m, ctx.paramsOnDevice(m), ctx.data, path, cfg);
  try {
    const losses: number[] = [];
    const logits: Float32Array[] = [];
    let trace: StepTrace | null = null;
    for (let i = 0; i < times; i++) {
      // Between steps the worker answers pings and immediate requests.
      if (i > 0) await yieldNow();
      trace = await stepper.traceStep({ pixels, labels });
      losses.push(trace.loss);
      logits.push(trace.layers.at(-1)!.sums);
    }
    stepper.commit();
    m.optimizer = stepper.optimizer;
    const version = ctx.newVersion();
    ctx.postModel();
    return { ...trace!, version, losses, logits };
  } finally {
    dispose();
  }
}
