/**
 * The page's methods for the worker's commands, generated: `commandProxy` gives
 * every request of `RequestMap` as a typed method (`commands.dream({ steps })`,
 * a new command needs nothing here), and `PAGE_METHODS` is one line per method
 * the components call with their own arguments (`dream(steps)`), saying which
 * request it sends and what the page records of the reply. `useTrainer` binds
 * them once; nothing is written out per command anywhere else.
 */
import { REQUEST_TYPES } from '../shared/commands';
import { errorMessage } from '../shared/errorMessage';
import type { DigitSet } from '../shared/myDigits';
import type { ModelFiles, ModelInfo, ReplyValue, RequestParams, RequestType, RunSummary } from '../shared/protocol';
import type { TrainConfig } from '../shared/trainConfig';
import { WorkerError, type TrainerClient } from './trainerClient';
import { clientError } from './workerError';
import type { ShownError, TrainerAction } from './trainerState';

/** Every command as a method taking its params and answering its reply (rejects with a WorkerError). */
export type CommandProxy = { readonly [K in RequestType]: (params: RequestParams<K>) => Promise<ReplyValue<K>> };

/** The client the page's methods send through: attached while the hook is mounted. */
export class ClientSlot {
  private current: TrainerClient | null = null;
  /** The attached client, or null (before mount, after unmount). */
  readonly get = (): TrainerClient | null => this.current;
  attach(client: TrainerClient | null): void {
    this.current = client;
  }
}

/** What a bound method needs: the client (null before mount or after unmount) and the reducer's dispatch. */
export interface MethodContext {
  client(): TrainerClient | null;
  dispatch(action: TrainerAction): void;
}

/** A failure as the page shows it. */
export function shown(e: unknown): ShownError {
  if (!(e instanceof WorkerError)) return { code: 'internal', message: errorMessage(e) };
  return {
    code: e.code,
    message: e.message,
    ...(e.backend ? { backend: e.backend } : {}),
    ...(e.key ? { key: e.key } : {}),
    ...(e.text ? { text: e.text } : {}),
  };
}

function send<K extends RequestType>(ctx: MethodContext, type: K, params: RequestParams<K>): Promise<ReplyValue<K>> {
  const c = ctx.client();
  return c ? c.request(type, params) : Promise.reject(clientError('crash', 'errors.worker.notRunning'));
}

/** The proxy of every command, generated from the table's request types. */
export function commandProxy(ctx: MethodContext): CommandProxy {
  const out: Record<string, (params: never) => Promise<unknown>> = {};
  for (const type of REQUEST_TYPES) out[type] = (params) => send(ctx, type, params);
  return out as unknown as CommandProxy;
}

type Make<A extends unknown[], R> = (ctx: MethodContext) => (...args: A) => R;

/** A command whose outcome only the page-level state shows: a failure becomes the error state, a refusal a notice. */
function fire<K extends RequestType, A extends unknown[]>(type: K, params: (...args: A) => RequestParams<K>): Make<A, void> {
  return (ctx) =>
    (...args) =>
      void send(ctx, type, params(...args)).catch((e: unknown) => ctx.dispatch({ type: 'failed', error: shown(e) }));
}

/** A command whose caller shows its outcome: the promise of its reply, once `record` has noted it in the state. */
function ask<K extends RequestType, A extends unknown[], R = ReplyValue<K>>(
  type: K,
  params: (...args: A) => RequestParams<K>,
  record: (value: ReplyValue<K>, dispatch: MethodContext['dispatch']) => R = (value) => value as unknown as R,
): Make<A, Promise<R>> {
  return (ctx) =>
    async (...args) =>
      record(await send(ctx, type, params(...args)), (a) => ctx.dispatch(a));
}

/** A training run (Train, fine-tune): the page's pending flag, then the run's summary or its failure, like Train. */
function run<K extends 'train' | 'fineTune', A extends unknown[]>(
  type: K,
  params: (...args: A) => RequestParams<K>,
  summaryOf: (value: ReplyValue<K>) => RunSummary,
): Make<A, Promise<ReplyValue<K>>> {
  return (ctx) =>
    async (...args) => {
      ctx.dispatch({ type: 'trainRequested' });
      try {
        const value = await send(ctx, type, params(...args));
        ctx.dispatch({ type: 'trainSettled', summary: summaryOf(value) });
        return value;
      } catch (e) {
        ctx.dispatch({ type: 'failed', error: shown(e), train: true });
        throw e;
      }
    };
}

const modelLoaded = (model: ModelInfo, dispatch: MethodContext['dispatch']) => {
  dispatch({ type: 'model', model });
  return model;
};
const listed = (models: ReplyValue<'listModels'>, dispatch: MethodContext['dispatch']) => {
  dispatch({ type: 'savedModels', models });
};

const trainRun = run(
  'train',
  (config: TrainConfig, continueTraining?: boolean) => ({ config, continueTraining: continueTraining ?? false }),
  (s) => s,
);

/** The methods components call, one line each: the request, its params from the arguments, what the page records. */
export const PAGE_METHODS = {
  /** Trains; the outcome shows in the state (curves, summary, or the error). */
  train: (ctx: MethodContext) => {
    const start = trainRun(ctx);
    return (config: TrainConfig, continueTraining?: boolean): void => void start(config, continueTraining).catch(() => {});
  },
  /** Continues the current model on MNIST mixed with your digits; settles with both accuracies before and after. */
  fineTune: run(
    'fineTune',
    (config: TrainConfig, digits: DigitSet) => ({ config, digits }),
    (r) => r.run,
  ),
  pause: fire('pause', () => ({})),
  resume: fire('resume', () => ({})),
  stop: fire('stop', () => ({})),
  /** Back to a fresh start: clears the run and loads the shipped model again. */
  reset: fire('reset', () => ({})),
  evaluate: ask(
    'evaluate',
    () => ({}),
    (report, dispatch) => {
      dispatch({ type: 'report', report });
      return report;
    },
  ),
  dream: ask('dream', (steps?: number) => (steps ? { steps } : {})),
  saveModel: ask('saveModel', (name: string) => ({ name }), listed),
  loadModel: ask('loadModel', (id: string) => ({ modelId: id }), modelLoaded),
  deleteModel: ask('deleteModel', (id: string) => ({ modelId: id }), listed),
  exportModel: ask('exportModel', () => ({})),
  /** The current model's weights and normalisation in Keras' terms (export for Python). */
  exportWeights: ask('exportWeights', () => ({})),
  importModel: ask('importModel', (files: ModelFiles) => ({ files }), modelLoaded),
  /** Loads the shipped model, or (`robust`) the one trained on augmented images. */
  loadBundledModel: ask('loadBundledModel', (robust?: boolean) => (robust ? { robust } : {}), modelLoaded),
  /** The current model's reading of your digits. */
  evaluateMine: ask('evaluateMine', (digits: DigitSet) => ({ digits })),
  /** How the current model reads one input ([784] 0..1): activations and saliency (the caller keeps its array). */
  inspect: ask('inspect', (pixels: Float32Array) => ({ pixels: pixels.slice() })),
  /** The test images the current model's last evaluation put in one confusion-matrix cell. */
  testImages: ask('testImages', (label: number, predicted: number, limit: number) => ({ label, predicted, limit })),
  /** Real training steps on one example (the step view); the caller keeps its array. */
  traceStep: ask('traceStep', (pixels: Float32Array, label: number, times: number, session: number) => ({
    pixels: pixels.slice(),
    label,
    times,
    session,
  })),
  /** Puts the model back as it was before the step view's first step of `session`. */
  undoSteps: ask('undoSteps', (session: number) => ({ session })),
  /** One MNIST training image and its label. */
  trainingExample: ask('trainingExample', (index: number) => ({ index })),
} satisfies Record<string, Make<never[], unknown>>;

export type PageMethods = { readonly [M in keyof typeof PAGE_METHODS]: ReturnType<(typeof PAGE_METHODS)[M]> };

/** Binds every page method to `ctx`. */
export function bindPageMethods(ctx: MethodContext): PageMethods {
  const out: Record<string, unknown> = {};
  for (const [name, make] of Object.entries(PAGE_METHODS)) out[name] = (make as (c: MethodContext) => unknown)(ctx);
  return out as PageMethods;
}
