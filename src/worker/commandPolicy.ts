/**
 * Which command may run when: the worker's one rule book. Pure, so it is
 * tested without a worker. Immediate commands run at once whatever runs
 * (they only read the model or flip a flag); exclusive ones touch the model's
 * tensors and run one at a time in arrival order; some are refused in some
 * states, with words the page can show.
 */
import type { RequestType } from '../shared/protocol';

/** Commands that run at once, beside whatever exclusive command is running. */
export const IMMEDIATE: ReadonlySet<RequestType> = new Set<RequestType>([
  'pause',
  'resume',
  'stop',
  'predict',
  // Reading your digits or one drawing is a forward pass, like predict: beside a run too.
  'evaluateMine',
  'inspect',
  // Reads the last evaluation's sorting and the host copy of the test images.
  'testImages',
  'listModels',
  'deleteModel',
  'simulateContextLoss',
  'simulateCrash',
]);

/** What the scheduler is doing: the exclusive command running and those waiting, oldest first. */
export interface SchedulerView {
  running: RequestType | null;
  queued: readonly RequestType[];
}

export type Decision = { kind: 'now' } | { kind: 'queue' } | { kind: 'refuse'; message: string };

/** Commands that are a training run (curves, pause, stop): train and fine-tune. */
export const RUNS: ReadonlySet<RequestType> = new Set<RequestType>(['train', 'fineTune']);

/** Why a command is refused while a run is under way (or waiting to start); null when it is not. */
const WHILE_TRAINING: Partial<Record<RequestType, string>> = {
  train: 'Training is already running: stop it first.',
  fineTune: 'Training is already running: stop it first, then fine-tune.',
  evaluate: 'Training evaluates the test set when it ends: stop it to evaluate now.',
  dream: 'Stop training to let the network dream.',
  saveModel: 'Stop training to save the model.',
  exportModel: 'Stop training to export the model.',
  exportWeights: 'Stop training to export the model.',
  loadModel: 'Stop training to load a model.',
  importModel: 'Stop training to import a model.',
  loadBundledModel: 'Stop training to load the pre-trained model.',
};

/** Decides whether `type` runs now, waits its turn, or is refused (and why). */
export function decide(type: RequestType, view: SchedulerView): Decision {
  if (IMMEDIATE.has(type)) return { kind: 'now' };
  const training = RUNS.has(view.running as RequestType) || view.queued.some((q) => RUNS.has(q));
  const refusal = training ? WHILE_TRAINING[type] : undefined;
  if (refusal) return { kind: 'refuse', message: refusal };
  if (type === 'loadData' && (view.running === 'loadData' || view.queued.includes('loadData'))) {
    return { kind: 'refuse', message: 'The data is already loading.' };
  }
  return view.running === null && view.queued.length === 0 ? { kind: 'now' } : { kind: 'queue' };
}

/**
 * Queued commands that a newly arrived one makes pointless: Stop and Reset
 * cancel a run that has not started yet.
 */
export function supersededBy(type: RequestType): ReadonlySet<RequestType> {
  return type === 'stop' || type === 'reset' ? RUNS : NONE;
}
const NONE: ReadonlySet<RequestType> = new Set<RequestType>();
