/**
 * The one table of commands: for every request of `RequestMap` (protocol.ts),
 * whether it runs at once or waits its turn, what it needs, what it cancels,
 * its refusal (a stable key and its English sentence) and a check of its
 * parameters with bounds. The worker's scheduler decides from it; the page's
 * availability (disabled buttons and their reasons) is derived from the same
 * table over the same `CommandState`, so both say the same thing in the same
 * words. Pure: no DOM, no tf.
 *
 * Adding a command: its types in `RequestMap`, one row here, one handler in
 * src/worker/handlers/ (the compiler asks for both once the type exists).
 */
import { IMAGE_PIXELS, NUM_CLASSES } from './constants';
import type { RequestParams, RequestType } from './protocol';
import { MAX_MODEL_BYTES } from './modelImport';
import { HEAVY, trainingQuiet, type Quiet } from './quiet';
import { MAX_STEP_SESSION, MAX_STEP_TIMES } from './step';
import * as v from './validate';

// ------------------------------------------------------------------ refusals

/**
 * Every sentence a command can be refused with, by a stable key: the worker sends the key
 * with the English sentence, the page shows the text for the key (a translation can replace
 * this table by key).
 */
export const REFUSALS = {
  dataLoading: 'Wait for the data to load.',
  noData: 'The dataset is not loaded: retry loading it first.',
  alreadyLoading: 'The data is already loading.',
  noModel: 'Train a model or load one first.',
  training: 'Training is running.',
  stopToEvaluate: 'Stop training to evaluate now.',
  stopToDream: 'Stop training to let the network dream.',
  stopToSave: 'Stop training to save the model.',
  stopToExport: 'Stop training to export the model.',
  stopToLoad: 'Stop training to load a model.',
  stopToStep: 'Stop training to take steps by hand: a step changes the weights the run is training.',
  nothingTraining: 'Nothing is training.',
  /** Page only: the page waits for the person to read an error before it trains again. */
  errorShown: 'Dismiss the message above first.',
  /** The door (worker): a message that is not a request of the protocol; the reply's message says what is wrong. */
  invalidRequest: 'The worker got a request it cannot read.',
  unknownRequest: 'The worker has no such command.',
} as const;

export type RefusalKey = keyof typeof REFUSALS;

/** The English sentence of a refusal. */
export function refusalText(key: RefusalKey): string {
  return REFUSALS[key];
}

// ---------------------------------------------------------------- the state

/**
 * What both threads know about the worker, in the terms the table decides on. The worker
 * derives it from its scheduler and engine (scheduler.ts), the page from the worker's events
 * (trainerState.ts `commandStateOf`).
 */
export interface CommandState {
  /** The training run (train or fineTune): running, paused, waiting its turn, or none. */
  run: 'none' | 'queued' | 'running' | 'paused';
  /** The dataset is being fetched (loadData runs or waits). */
  loading: boolean;
  /** An exclusive command runs or waits: a new one waits its turn. */
  busy: boolean;
  /** The dataset is loaded (and not loading again). */
  data: boolean;
  /** There is a current model. */
  model: boolean;
}

/** What a command can need. Checked in the row's order on arrival; the first unmet one refuses it. */
export type Need =
  /** The dataset is loaded (refused while it loads, or when it failed). */
  | 'data'
  /** A current model (checked again when a queued command's turn comes). */
  | 'model'
  /** No training run running, paused or waiting. */
  | 'noRun'
  /** A training run running, paused or waiting (Stop). */
  | 'run'
  /** A training run running or paused (Pause, Resume). */
  | 'runStarted'
  /** The data is not already loading. */
  | 'notLoading';

/** A request's rules. */
export interface CommandRow<K extends RequestType> {
  /**
   * 'immediate': runs at once beside whatever runs (it reads the model or flips a flag);
   * 'exclusive': touches the model's tensors, so it runs alone, in arrival order.
   */
  mode: 'immediate' | 'exclusive';
  /** A training run: curves stream, Pause and Stop apply, and it counts as "training". */
  run?: true;
  needs: readonly Need[];
  /** Its refusal for an unmet 'noRun' (default 'training'). */
  whileTraining?: RefusalKey;
  /** Queued commands it makes pointless: answered 'cancelled' when it arrives. */
  cancelsQueued?: readonly RequestType[];
  /** A running command it ends at once, without a result (Reset ends a run). */
  cancelsRunning?: readonly RequestType[];
  /** Its parameters, every number with a bound. */
  params: v.Check<RequestParams<K>>;
  /** Exclusive commands: how long it may keep the worker silent (shared/quiet.ts); absent: it answers pings at once. */
  quiet?: (params: RequestParams<K>) => Quiet;
}

// ------------------------------------------------------------------- bounds

/** Most gradient-ascent steps a dream may take (the default is 200, a few seconds). */
export const MAX_DREAM_STEPS = 1000;
/** Most test images one confusion-matrix cell request may return (the test set has 10,000). */
export const MAX_CELL_IMAGES = 10_000;
/** Longest model name or id, characters. */
export const MAX_NAME_LENGTH = 200;

const pixels = v.object({ pixels: v.float32Array(IMAGE_PIXELS, 0, 1) });
const digit = v.int(0, NUM_CLASSES - 1);
const modelId = v.object({ modelId: v.text(MAX_NAME_LENGTH, 1) });
/** Commands a Stop or Reset makes pointless before they start. */
const RUN_TYPES = ['train', 'fineTune'] as const satisfies readonly RequestType[];
const heavy = () => HEAVY;

// -------------------------------------------------------------------- table

export const COMMANDS: { readonly [K in RequestType]: CommandRow<K> } = {
  loadData: {
    mode: 'exclusive',
    needs: ['notLoading'],
    quiet: heavy,
    params: v.object({ baseUrl: v.httpUrl, bundledModelUrl: v.nullable(v.httpUrl), backend: v.optional(v.backendChoice) }),
  },
  train: {
    mode: 'exclusive',
    run: true,
    needs: ['data', 'noRun'],
    params: v.object({ config: v.trainConfig, continueTraining: v.optional(v.bool) }),
    quiet: ({ config }) => trainingQuiet(config.hiddenUnits, config.batchSize),
  },
  fineTune: {
    mode: 'exclusive',
    run: true,
    needs: ['data', 'noRun', 'model'],
    params: v.object({ config: v.trainConfig, digits: v.digitSet }),
    // The model's shape is kept; the form's is the best guess of it here.
    quiet: ({ config }) => trainingQuiet(config.hiddenUnits, config.batchSize),
  },
  pause: { mode: 'immediate', needs: ['runStarted'], params: v.none },
  resume: { mode: 'immediate', needs: ['runStarted'], params: v.none },
  stop: { mode: 'immediate', needs: ['run'], cancelsQueued: RUN_TYPES, params: v.none },
  reset: { mode: 'exclusive', needs: ['data'], cancelsQueued: RUN_TYPES, cancelsRunning: RUN_TYPES, params: v.none, quiet: heavy },
  predict: { mode: 'immediate', needs: [], params: pixels },
  inspect: { mode: 'immediate', needs: [], params: pixels },
  evaluateMine: { mode: 'immediate', needs: [], params: v.object({ digits: v.digitSet }) },
  testImages: {
    mode: 'immediate',
    needs: [],
    params: v.object({ label: digit, predicted: digit, limit: v.int(0, MAX_CELL_IMAGES) }),
  },
  evaluate: { mode: 'exclusive', needs: ['data', 'noRun', 'model'], whileTraining: 'stopToEvaluate', params: v.none, quiet: heavy },
  dream: {
    mode: 'exclusive',
    needs: ['noRun', 'model'],
    whileTraining: 'stopToDream',
    params: v.object({ steps: v.optional(v.int(1, MAX_DREAM_STEPS)) }),
    quiet: heavy,
  },
  listModels: { mode: 'immediate', needs: [], params: v.none },
  deleteModel: { mode: 'immediate', needs: [], params: modelId },
  saveModel: {
    mode: 'exclusive',
    needs: ['noRun', 'model'],
    whileTraining: 'stopToSave',
    params: v.object({ name: v.text(MAX_NAME_LENGTH, 1) }),
    quiet: heavy,
  },
  exportModel: { mode: 'exclusive', needs: ['noRun', 'model'], whileTraining: 'stopToExport', params: v.none, quiet: heavy },
  exportWeights: { mode: 'exclusive', needs: ['noRun', 'model'], whileTraining: 'stopToExport', params: v.none, quiet: heavy },
  loadModel: { mode: 'exclusive', needs: ['noRun'], whileTraining: 'stopToLoad', params: modelId, quiet: heavy },
  importModel: {
    mode: 'exclusive',
    needs: ['noRun'],
    whileTraining: 'stopToLoad',
    params: v.object({
      files: v.object({
        modelJson: v.text(MAX_MODEL_BYTES),
        weights: v.arrayBuffer(MAX_MODEL_BYTES),
        weightsName: v.text(MAX_NAME_LENGTH, 1),
      }),
    }),
    quiet: heavy,
  },
  loadBundledModel: {
    mode: 'exclusive',
    needs: ['noRun'],
    whileTraining: 'stopToLoad',
    params: v.object({ robust: v.optional(v.bool) }),
    quiet: heavy,
  },
  traceStep: {
    mode: 'exclusive',
    needs: ['noRun', 'model'],
    whileTraining: 'stopToStep',
    params: v.object({
      pixels: v.float32Array(IMAGE_PIXELS, 0, 1),
      label: digit,
      times: v.int(1, MAX_STEP_TIMES),
      session: v.int(1, MAX_STEP_SESSION),
    }),
    quiet: heavy,
  },
  undoSteps: {
    mode: 'exclusive',
    needs: ['noRun', 'model'],
    whileTraining: 'stopToStep',
    params: v.object({ session: v.int(1, MAX_STEP_SESSION) }),
    quiet: heavy,
  },
  trainingExample: { mode: 'immediate', needs: ['data'], params: v.object({ index: v.int(0, 1_000_000) }) },
  ping: { mode: 'immediate', needs: [], params: v.none },
  simulateContextLoss: { mode: 'immediate', needs: [], params: v.none },
  simulateCrash: { mode: 'immediate', needs: [], params: v.none },
  simulateSilentExit: { mode: 'immediate', needs: [], params: v.none },
};

/** Every request type, in the table's order. */
export const REQUEST_TYPES = Object.keys(COMMANDS) as RequestType[];

export function isRequestType(type: unknown): type is RequestType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(COMMANDS, type);
}

/** The training runs (train, fine-tune). */
export function isRun(type: RequestType | null | undefined): boolean {
  return !!type && COMMANDS[type].run === true;
}

// ----------------------------------------------------------------- deciding

export type Decision = { kind: 'now' } | { kind: 'queue' } | { kind: 'refuse'; key: RefusalKey };

function unmet(need: Need, row: CommandRow<RequestType>, s: CommandState): RefusalKey | null {
  switch (need) {
    case 'data':
      return s.data ? null : s.loading ? 'dataLoading' : 'noData';
    case 'model':
      return s.model ? null : 'noModel';
    case 'noRun':
      return s.run === 'none' ? null : (row.whileTraining ?? 'training');
    case 'run':
      return s.run === 'none' ? 'nothingTraining' : null;
    case 'runStarted':
      return s.run === 'running' || s.run === 'paused' ? null : 'nothingTraining';
    case 'notLoading':
      return s.loading ? 'alreadyLoading' : null;
  }
}

/** Why `type` is refused in state `s` (its first unmet need), or null. */
export function refusal(type: RequestType, s: CommandState): RefusalKey | null {
  const row = COMMANDS[type] as CommandRow<RequestType>;
  for (const need of row.needs) {
    const key = unmet(need, row, s);
    if (key) return key;
  }
  return null;
}

/** Decides whether `type`, arriving in state `s`, runs now, waits its turn, or is refused (and why). */
export function decide(type: RequestType, s: CommandState): Decision {
  const key = refusal(type, s);
  if (key) return { kind: 'refuse', key };
  return COMMANDS[type].mode === 'immediate' || !s.busy ? { kind: 'now' } : { kind: 'queue' };
}

/**
 * When a queued command's turn comes: the facts it needs (data, a model) may have changed
 * behind it (a failed load, a Reset), so they are checked again; its place in the order is not.
 */
export function refusalAtStart(type: RequestType, s: Pick<CommandState, 'data' | 'model'>): RefusalKey | null {
  const row = COMMANDS[type];
  if (row.needs.includes('data') && !s.data) return 'noData';
  if (row.needs.includes('model') && !s.model) return 'noModel';
  return null;
}

/** What a request's parameters lack, or null when they fit its row. */
export function paramsProblem(type: RequestType, params: unknown): string | null {
  return (COMMANDS[type].params as v.Check<unknown>).test(params, '');
}

const ANSWERS_AT_ONCE: Quiet = { startMs: 0, stepMs: 0 };

/** How long the exclusive command `req` may keep the worker silent (zeros: it answers pings at once). */
export function quietOf(req: { type: RequestType }): Quiet {
  const row = COMMANDS[req.type] as CommandRow<RequestType>;
  return row.quiet?.(req as never) ?? ANSWERS_AT_ONCE;
}
