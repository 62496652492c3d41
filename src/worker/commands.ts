/**
 * What each command does, one handler per request type. The scheduler decides
 * when a handler runs (never two exclusive ones at once); a handler resolves
 * with its reply's value or throws an EngineError that becomes the error reply.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../shared/constants';
import type { BackendName, DataInfo, ModelInfo, WorkerEvent } from '../shared/protocol';
import { fineTuneConfig, repeatsFor } from '../shared/fineTune';
import type { DigitSet } from '../shared/myDigits';
import { DEFAULT_CONFIG, type BackendChoice } from '../shared/trainConfig';
import { isActive, selectBackend, simulateContextLoss } from './backend';
import type { RaceShape } from './backendRace';
import { DataError, loadMnist, type MnistData } from './dataset';
import { dream, pixelStats } from './dreams';
import { NO_MODEL, type Engine } from './engine';
import { EngineError } from './errors';
import { digitSetProblem, fineTuneMix, readDigits } from './fineTuneMix';
import { kerasWeightsOf } from './kerasExport';
import { splitIndices } from './split';
import type { Handlers } from './scheduler';
import * as store from './modelStore';

/** Test digits shown in the sample strip. */
const SAMPLE_COUNT = 24;

/** What the handlers share: the engine, the dataset, the backend, the shipped model's URL. */
export class WorkerContext {
  data: MnistData | null = null;
  bundledModelUrl: string | null = null;
  private pixelStatsCache: ReturnType<typeof pixelStats> | null = null;
  private backendQueue: Promise<unknown> = Promise.resolve();
  private readyPosted = false;

  constructor(
    readonly engine: Engine,
    readonly post: (event: WorkerEvent, transfer?: Transferable[]) => void,
    readonly onContextLost: () => void,
  ) {}

  /** Per-pixel mean and spread of the training images (dreams, loaded models' weight pictures). */
  trainingPixelStats(): ReturnType<typeof pixelStats> | null {
    if (!this.data) return null;
    this.pixelStatsCache ??= pixelStats(this.data.train.images, Math.min(10000, this.data.train.count));
    return this.pixelStatsCache;
  }

  setData(data: MnistData): void {
    this.data = data;
    this.pixelStatsCache = null;
    this.engine.setData(data);
  }

  /**
   * Starts the backend for `choice` (switching and re-posting `ready` when it changes); switches are serialised.
   * `auto` races backends on `shape` (a new shape may race again; verdicts are remembered per shape).
   */
  useBackend(choice: BackendChoice, shape?: RaceShape): Promise<void> {
    const next = this.backendQueue.then(async () => {
      if (isActive(choice, shape) && this.readyPosted) return;
      // Tensors live in one backend: park the weights on the host before switching.
      await this.engine.releaseDevice();
      try {
        const { ready, changed } = await selectBackend(choice, this.onContextLost, shape);
        if (changed || !this.readyPosted) this.post(ready);
        this.readyPosted = true;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        throw new EngineError('backend', message, choice === 'auto' ? 'auto' : (choice as BackendName));
      }
    });
    this.backendQueue = next.catch(() => {});
    return next;
  }

  /** Resolves when no backend switch is under way. */
  backendSettled(): Promise<unknown> {
    return this.backendQueue;
  }

  /** Loads the shipped model (reset and first visit), or its robust sibling (trained on augmented images, in models/robust/). */
  async loadBundled(robust = false): Promise<ModelInfo> {
    if (!this.bundledModelUrl) throw new EngineError('model', 'This page ships no pre-trained model.');
    await this.backendSettled();
    const url = robust ? new URL('../robust/model.json', this.bundledModelUrl).href : this.bundledModelUrl;
    const { model, metadata } = await store.readBundledModel(url);
    try {
      const acc = typeof metadata.testAccuracy === 'number' ? metadata.testAccuracy : null;
      const accText = acc === null ? '' : `, test accuracy ${(acc * 100).toFixed(1)}%`;
      const description = robust
        ? `pre-trained robust model (reference recipe on augmented images, 784-64-64-10${accText})`
        : `pre-trained reference recipe (784-64-64-10${accText})`;
      return await this.engine.loadLayersModel(model, { source: 'bundled', description, config: null, testAccuracy: acc });
    } finally {
      model.dispose();
    }
  }

  /** The current model's reading of your digits. */
  async readDigits(digits: DigitSet): Promise<ReturnType<typeof readDigits>> {
    const problem = digitSetProblem(digits);
    if (problem) throw new EngineError('config', `Your digits: ${problem}.`);
    const version = this.engine.version;
    return readDigits(await this.engine.classify(digits.images, digits.labels.length), digits.labels, version);
  }

  /** The current model as a layers model (the caller disposes it). */
  async layersModel(): Promise<tf.Sequential> {
    if (!this.engine.hasModel) throw new EngineError('model', NO_MODEL);
    await this.backendSettled();
    return this.engine.toLayersModel();
  }
}

export function createHandlers(ctx: WorkerContext): Handlers {
  const { engine } = ctx;
  return {
    async loadData({ baseUrl, bundledModelUrl }) {
      ctx.bundledModelUrl = bundledModelUrl;
      const t0 = performance.now();
      let lastPost = 0;
      let data: MnistData;
      try {
        data = await loadMnist(baseUrl, (loadedBytes, totalBytes) => {
          const now = performance.now();
          // ~30 progress events a second at most, and always the last one.
          if (now - lastPost > 33 || loadedBytes === totalBytes) {
            lastPost = now;
            ctx.post({ type: 'dataProgress', loadedBytes, totalBytes });
          }
        });
      } catch (e) {
        throw e instanceof DataError ? new EngineError('data', e.message) : e;
      }
      ctx.setData(data);
      const info: DataInfo = {
        trainCount: data.train.count,
        testCount: data.test.count,
        samplePixels: data.test.images.slice(0, SAMPLE_COUNT * IMAGE_PIXELS),
        sampleLabels: Array.from(data.test.labels.subarray(0, SAMPLE_COUNT)),
        elapsedMs: performance.now() - t0,
      };
      // The shipped model, so a visitor can draw before training; a Train pressed meanwhile waits for it.
      if (bundledModelUrl && !engine.hasModel) {
        await ctx.useBackend(DEFAULT_CONFIG.backend).catch(() => {});
        await ctx
          .loadBundled()
          .catch((e: unknown) => ctx.post({ type: 'fault', code: 'model', message: e instanceof Error ? e.message : String(e) }));
      }
      return info;
    },

    async train({ config, continueTraining }) {
      if (!ctx.data) throw new EngineError('data', 'The dataset is not loaded: retry loading it first.');
      await ctx.useBackend(config.backend, config);
      return engine.train(config, continueTraining ?? false);
    },

    async fineTune({ config, digits }) {
      if (!ctx.data) throw new EngineError('data', 'The dataset is not loaded: retry loading it first.');
      if (!engine.hasModel) throw new EngineError('model', NO_MODEL);
      if (!digits.labels.length) throw new EngineError('config', 'Label some of your digits first: fine-tuning learns from them.');
      await ctx.useBackend(config.backend);
      const sizes = engine.modelSizes!;
      // Keep the model's shape, or the run would start a new model. A loaded model (raw pixels,
      // its normalisation folded in) is unfolded to the recipe's standardised inputs by the engine.
      const cfg = fineTuneConfig(config, {
        hiddenUnits: sizes.slice(1, -1),
        activation: engine.modelActivation!,
        normalization: engine.info.config?.normalization ?? 'standardize',
      });
      const before = await ctx.readDigits(digits);
      const testBefore = engine.info.testAccuracy;
      const mnist = splitIndices(ctx.data.train.count, cfg.trainSize, cfg.seed).train;
      const repeats = repeatsFor(digits.labels.length, mnist.length);
      const run = await engine.train(cfg, true, fineTuneMix(ctx.data.train, mnist, digits, repeats));
      const after = run.outcome === 'cancelled' ? null : await ctx.readDigits(digits);
      return {
        run,
        yoursBefore: before.accuracy,
        yoursAfter: after?.accuracy ?? null,
        testBefore,
        testAfter: run.report?.testAccuracy ?? null,
        repeats,
        mnistImages: mnist.length,
      };
    },

    async evaluateMine({ digits }) {
      await ctx.backendSettled();
      return ctx.readDigits(digits);
    },

    async testImages({ label, predicted, limit }) {
      return engine.cellImages(label, predicted, limit);
    },

    async inspect({ pixels }) {
      await ctx.backendSettled();
      return engine.inspect(pixels);
    },

    async pause() {
      engine.pause();
      return engine.isPaused ? 'paused' : engine.isTraining ? 'training' : 'idle';
    },
    async resume() {
      engine.resume();
      return engine.isTraining ? 'training' : 'idle';
    },
    async stop() {
      engine.stop();
      return engine.isTraining ? 'training' : 'idle';
    },

    async reset() {
      // The running run was cancelled when the request arrived (see the worker entry).
      engine.clearModel();
      if (ctx.bundledModelUrl) {
        try {
          return await ctx.loadBundled();
        } catch {
          // Without the shipped model a reset still leaves a clean page.
        }
      }
      return engine.info;
    },

    async predict({ pixels }) {
      await ctx.backendSettled();
      return engine.predict(pixels);
    },

    async evaluate() {
      if (!engine.hasModel) throw new EngineError('model', NO_MODEL);
      await ctx.backendSettled();
      return engine.evaluate();
    },

    async dream({ steps }) {
      const model = await ctx.layersModel();
      const version = engine.version;
      try {
        // Start from the mean digit and move pixels in proportion to how much they vary in MNIST.
        const stats = ctx.trainingPixelStats();
        const { images, confidences } = await dream(model, {
          ...(steps ? { steps } : {}),
          ...(stats ? { start: stats.mean, pixelScale: stats.spread } : {}),
        });
        return { version, images, confidences };
      } finally {
        model.dispose();
      }
    },

    async listModels() {
      return store.listModels();
    },

    async saveModel({ name }) {
      const info = engine.info;
      const model = await ctx.layersModel();
      try {
        await store.saveModel(model, name, info.config, info.testAccuracy);
      } finally {
        model.dispose();
      }
      return store.listModels();
    },

    async loadModel({ modelId }) {
      await ctx.backendSettled();
      const { info, model } = await store.readSavedModel(modelId);
      try {
        return await engine.loadLayersModel(model, {
          source: 'saved',
          description: `${info.name} (saved ${info.savedAt.slice(0, 10)})`,
          config: info.config,
          testAccuracy: info.testAccuracy,
        });
      } finally {
        model.dispose();
      }
    },

    async deleteModel({ modelId }) {
      await store.deleteModel(modelId);
      return store.listModels();
    },

    async exportModel() {
      const info = engine.info;
      const model = await ctx.layersModel();
      try {
        return await store.exportModel(model, { description: info.description, config: info.config, testAccuracy: info.testAccuracy });
      } finally {
        model.dispose();
      }
    },

    async exportWeights() {
      const model = await ctx.layersModel();
      try {
        return await kerasWeightsOf(model, engine.info, engine.modelActivation!, ctx.data?.train ?? null);
      } finally {
        model.dispose();
      }
    },

    async importModel({ files }) {
      await ctx.backendSettled();
      const { model, summary } = await store.parseModelFiles(files);
      try {
        return await engine.loadLayersModel(model, {
          source: 'imported',
          description: `imported model ${summary}`,
          config: null,
          testAccuracy: null,
        });
      } finally {
        model.dispose();
      }
    },

    async loadBundledModel({ robust }) {
      return ctx.loadBundled(robust ?? false);
    },

    async simulateContextLoss() {
      // We know we lost it: report now rather than wait for the event.
      const lost = simulateContextLoss();
      ctx.onContextLost();
      return lost;
    },

    async simulateCrash() {
      // Thrown outside any promise, as a real bug would be: the worker's error event fires.
      setTimeout(() => {
        throw new Error('simulated crash (test hook)');
      });
    },
  };
}
