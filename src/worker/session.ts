/**
 * What the handlers share: the engine, the dataset (owned here and handed to
 * the engine, nowhere else), the backend over its life, the shipped model's
 * URL and the one way out of the worker for events. One per worker.
 */
import type * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../shared/constants';
import type { DigitSet } from '../shared/myDigits';
import type { ModelInfo, WorkerEvent, WorkerPhase } from '../shared/protocol';
import { BackendSession } from './backendSession';
import type { MnistData } from './dataset';
import { pixelStats } from './dreams';
import { NO_MODEL, Engine, type EngineTiming, type LoadedModelInfo } from './engine';
import { EngineError } from './errors';
import { readDigits } from './fineTuneMix';
import * as store from './modelStore';

export type PostEvent = (event: WorkerEvent, transfer?: Transferable[]) => void;

/** Training images the per-pixel statistics are taken from (dreams, loaded models' weight pictures). */
const STATS_IMAGES = 10_000;

export class WorkerSession {
  readonly engine: Engine;
  readonly backend: BackendSession;
  /** The shipped model's absolute URL (from loadData); null when the page ships none. */
  bundledModelUrl: string | null = null;
  /** The scheduler's phase (set by the worker entry; ping answers it). */
  phase: () => WorkerPhase = () => 'idle';
  private dataset: MnistData | null = null;
  private statsCache: ReturnType<typeof pixelStats> | null = null;

  /** `post` sends an event to the page (the worker's postMessage). */
  constructor(
    private readonly out: PostEvent,
    timing?: EngineTiming,
  ) {
    this.engine = new Engine((event, transfer) => this.post(event, transfer), timing);
    this.backend = new BackendSession(this.engine, (event) => this.post(event));
  }

  /** Sends an event to the page. A loaded model's first-layer picture is put on the trained models' footing first. */
  post(event: WorkerEvent, transfer: Transferable[] = []): void {
    const stats = event.type === 'firstLayer' && this.engine.info.source !== 'trained' ? this.pixelStats() : null;
    if (event.type === 'firstLayer' && stats) {
      // A loaded model's first layer works on raw pixels, with the normalisation folded in: huge
      // weights sit on pixels that are almost never inked. Weight × the pixel's spread shows what
      // each unit responds to, on the same footing as a trained model's standardised weights.
      const { spread } = stats;
      for (let u = 0; u < event.units; u++) {
        for (let i = 0; i < IMAGE_PIXELS; i++) event.weights[u * IMAGE_PIXELS + i]! *= spread[i]!;
      }
    }
    this.backend.lastGood.observe(event);
    this.out(event, transfer);
  }

  /** The dataset, or null before it is loaded. */
  get data(): MnistData | null {
    return this.dataset;
  }

  get hasData(): boolean {
    return this.dataset !== null;
  }

  /** The one place the dataset is set: kept here and handed to the engine. */
  setData(data: MnistData): void {
    this.dataset = data;
    this.statsCache = null;
    this.engine.setData(data);
  }

  /** The dataset, or a 'data' error for a handler that cannot go on without it. */
  requireData(): MnistData {
    if (!this.dataset) throw new EngineError('data', 'The dataset is not loaded: retry loading it first.');
    return this.dataset;
  }

  /** Per-pixel mean and spread of the training images (dreams, loaded models' weight pictures). */
  pixelStats(): ReturnType<typeof pixelStats> | null {
    if (!this.dataset) return null;
    this.statsCache ??= pixelStats(this.dataset.train.images, Math.min(STATS_IMAGES, this.dataset.train.count));
    return this.statsCache;
  }

  /** Loads the shipped model (reset and first visit), or its robust sibling (trained on augmented images, in models/robust/). */
  async loadBundled(robust = false): Promise<ModelInfo> {
    await this.backend.settled();
    return this.loadBundledNow(robust);
  }

  /** loadBundled without waiting for the backend: for the backend's own recovery, which is what it would wait for. */
  async loadBundledNow(robust = false): Promise<ModelInfo> {
    if (!this.bundledModelUrl) throw new EngineError('model', 'This page ships no pre-trained model.');
    const url = robust ? new URL('../robust/model.json', this.bundledModelUrl).href : this.bundledModelUrl;
    const { model, metadata } = await store.readBundledModel(url);
    const acc = typeof metadata.testAccuracy === 'number' ? metadata.testAccuracy : null;
    const accText = acc === null ? '' : `, test accuracy ${(acc * 100).toFixed(1)}%`;
    const description = robust
      ? `pre-trained robust model (reference recipe on augmented images, 784-64-64-10${accText})`
      : `pre-trained reference recipe (784-64-64-10${accText})`;
    const facts = { kind: 'bundled', robust, sizes: [784, 64, 64, 10] } as const;
    return this.adopt(model, {
      source: 'bundled',
      description,
      config: null,
      testAccuracy: acc,
      facts: { ...facts, sizes: [...facts.sizes] },
    });
  }

  /** Makes a loaded layers model the current one (the engine copies its weights), then disposes it. */
  async adopt(model: tf.LayersModel, info: LoadedModelInfo): Promise<ModelInfo> {
    try {
      return await this.engine.loadLayersModel(model, info);
    } finally {
      model.dispose();
    }
  }

  /** The current model's reading of your digits (checked at the door). */
  async readDigits(digits: DigitSet): Promise<ReturnType<typeof readDigits>> {
    const version = this.engine.version;
    return readDigits(await this.engine.classify(digits.images, digits.labels.length), digits.labels, version);
  }

  /** Runs `use` on the current model as a layers model (taking pixels in [0, 1]), disposed afterwards. */
  async withLayersModel<T>(use: (model: tf.Sequential) => Promise<T>): Promise<T> {
    if (!this.engine.hasModel) throw new EngineError('model', NO_MODEL);
    await this.backend.settled();
    const model = await this.engine.toLayersModel();
    try {
      return await use(model);
    } finally {
      model.dispose();
    }
  }
}
