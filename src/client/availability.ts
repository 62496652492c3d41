/**
 * Which commands the page offers now, and why not: the command table's own
 * decision (shared/commands.ts) over the state the page mirrors from the
 * worker's events, so a click the page allows is never refused and a disabled
 * button gives the worker's words (pageAgreesWithWorker.test.ts walks them).
 */
import { REFUSALS, refusal, type CommandState, type RefusalKey } from '../shared/commands';
import type { RequestType } from '../shared/protocol';
import type { TrainerState } from './trainerState';

/**
 * The command table's state as the page mirrors it from the worker's events: the phase says what
 * runs, a Train without its reply yet is a run waiting its turn.
 */
export function commandStateOf(s: TrainerState): CommandState {
  const loading = s.phase === 'loading-data';
  return {
    run: s.phase === 'training' ? 'running' : s.phase === 'paused' ? 'paused' : s.trainPending ? 'queued' : 'none',
    loading,
    busy: s.phase !== 'idle' || s.queued > 0 || s.trainPending,
    data: s.dataset !== null && !loading,
    model: s.model.source !== 'none',
  };
}

/** The page's buttons and the request each sends (Pause also stands for Resume, Load for import and the shipped models: same rows). */
export const PAGE_ACTIONS = {
  train: 'train',
  pause: 'pause',
  stop: 'stop',
  reset: 'reset',
  evaluate: 'evaluate',
  dream: 'dream',
  save: 'saveModel',
  export: 'exportModel',
  load: 'loadModel',
  fineTune: 'fineTune',
  step: 'traceStep',
} as const satisfies Record<string, RequestType>;

export type PageAction = keyof typeof PAGE_ACTIONS;

/** Page only: runs the page holds back while an error is on screen, so a failure is read before the next run. */
const HELD_WHILE_ERROR: ReadonlySet<PageAction> = new Set<PageAction>(['train', 'fineTune']);

/** Commands the page offers, each null when it can apply now, or the reason it cannot; `keys` the reasons' stable keys. */
export type Availability = { readonly [A in PageAction]: string | null } & {
  /** The key of each reason (commands.ts REFUSALS), for words in another language. */
  readonly keys: { readonly [A in PageAction]: RefusalKey | null };
};

/** Why `action` cannot apply in `s` (the worker would refuse it with this key), or null. */
export function availabilityKey(action: PageAction, s: TrainerState): RefusalKey | null {
  if (s.error && HELD_WHILE_ERROR.has(action)) return 'errorShown';
  return refusal(PAGE_ACTIONS[action], commandStateOf(s));
}

/** Which commands can apply in `s`, and why not: the worker's own table, so clicks are not refused. */
export function availability(s: TrainerState): Availability {
  const keys = {} as Record<PageAction, RefusalKey | null>;
  const texts = {} as Record<PageAction, string | null>;
  for (const action of Object.keys(PAGE_ACTIONS) as PageAction[]) {
    const key = availabilityKey(action, s);
    keys[action] = key;
    texts[action] = key && REFUSALS[key];
  }
  return { ...texts, keys };
}
