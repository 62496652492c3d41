/**
 * The page and the worker decide from one table: this walks every command in
 * every state the page can be in, with the real worker scheduler and the real
 * page reducer joined by the worker's own messages, and checks that what the
 * page offers (and the reason it gives when it does not) is exactly what the
 * worker does with the command.
 */
import { describe, expect, it } from 'vitest';
import { decide, REFUSALS, REQUEST_TYPES, type RefusalKey } from '../shared/commands';
import { DEFAULT_CONFIG } from '../shared/trainConfig';
import type { ModelInfo, Reply, RequestType, RunSummary, WorkerMessage, WorkerRequest } from '../shared/protocol';
import { Scheduler, type Handlers } from '../worker/scheduler';
import { availability, availabilityKey, commandStateOf, PAGE_ACTIONS, type PageAction } from './availability';
import { initialTrainerState, trainerReducer, type TrainerAction, type TrainerState } from './trainerState';
import { shown } from './commandApi';
import { WorkerError } from './trainerClient';

/** Requests a person's clicks can send (the test hooks, ping and the first loadData are the page's own). */
const WALKED: RequestType[] = REQUEST_TYPES.filter((t) => !t.startsWith('simulate'));

/**
 * A worker (the real scheduler over stand-in handlers that do what the real ones tell the page:
 * model events, a paused flag) and a page (the real reducer fed by its messages, with the
 * actions useTrainer dispatches around requests). Exclusive handlers wait until released.
 */
function world() {
  const facts = { data: false, model: false, paused: false, version: 0 };
  let page: TrainerState = initialTrainerState;
  const dispatch = (a: TrainerAction) => (page = trainerReducer(page, a));
  const replies = new Map<number, Reply>();
  const gates = new Map<number, (ok: boolean) => void>();
  const waits = new Map<number, (r: Reply) => void>();
  const model = (source: ModelInfo['source']): ModelInfo => {
    facts.version++;
    facts.model = source !== 'none';
    return { version: facts.version, source, description: source, config: null, testAccuracy: null };
  };
  const post = (m: WorkerMessage) => {
    if (m.type === 'reply') {
      replies.set(m.id, m);
      waits.get(m.id)?.(m);
    } else dispatch({ type: 'event', event: m });
  };
  const gate = (id: number) => new Promise<boolean>((r) => gates.set(id, r));
  const summary = (): RunSummary => ({
    version: facts.version,
    outcome: 'completed',
    steps: 1,
    stepsPerEpoch: 1,
    epochsRun: 1,
    elapsedMs: 1,
    report: { version: facts.version, testLoss: 1, testAccuracy: 0.5, confusion: [], mistakes: [] },
  });
  const stand: Partial<Record<RequestType, (req: WorkerRequest) => Promise<unknown>>> = {
    async loadData(req) {
      if (!(await gate(req.id))) throw new Error('data missing');
      facts.data = true;
      post({ type: 'model', ...model('bundled') });
      return { trainCount: 1, testCount: 1, samplePixels: new Uint8Array(0), sampleLabels: [], elapsedMs: 1 };
    },
    async train(req) {
      post({ type: 'model', ...model('trained') });
      if (!(await gate(req.id))) throw Object.assign(new Error('loss is NaN'), {});
      return summary();
    },
    async pause() {
      facts.paused = true;
      scheduler.postPhase();
      return 'paused';
    },
    async resume() {
      facts.paused = false;
      scheduler.postPhase();
      return 'training';
    },
    async reset(req) {
      post({ type: 'model', ...model('none') });
      if (await gate(req.id)) post({ type: 'model', ...model('bundled') });
      return page.model;
    },
  };
  const handlers = new Proxy({} as Handlers, {
    get: (_, type: RequestType) =>
      stand[type] ??
      (async (req: WorkerRequest) => {
        if (['evaluate', 'dream', 'saveModel', 'exportModel', 'loadModel', 'importModel', 'loadBundledModel'].includes(type))
          await gate(req.id);
        return null;
      }),
  });
  const scheduler = new Scheduler(handlers, post, {
    isPaused: () => facts.paused,
    hasData: () => facts.data,
    hasModel: () => facts.model,
    cancelRunning: () => {},
  });
  let nextId = 1;
  /** Sends a request as the page does, with useTrainer's actions around it; returns its id. */
  const send = (type: RequestType): number => {
    const id = nextId++;
    if (type === 'train' || type === 'fineTune') dispatch({ type: 'trainRequested' });
    new Promise<Reply>((r) => waits.set(id, r)).then((reply) => {
      if (type === 'loadData' && reply.ok) dispatch({ type: 'dataLoaded', data: reply.value as never });
      else if (type === 'train' && reply.ok) dispatch({ type: 'trainSettled', summary: reply.value as RunSummary });
      else if (!reply.ok) {
        const error = shown(new WorkerError(reply.error.code, reply.error.message, reply.error.backend, reply.error.key));
        dispatch({ type: 'failed', error, train: type === 'train' || type === 'fineTune' });
      }
    });
    // The door has checked what reaches the scheduler: runs come with their config.
    const params = type === 'train' || type === 'fineTune' ? { config: DEFAULT_CONFIG } : {};
    scheduler.submit({ ...params, type, id } as WorkerRequest);
    return id;
  };
  /** Ends a waiting handler (ok or failing) and waits until the page has taken in its reply. */
  const release = async (id: number, ok = true) => {
    gates.get(id)!(ok);
    await new Promise<void>((r) => {
      const done = () => (replies.has(id) ? r() : setTimeout(done, 0));
      done();
    });
    await Promise.resolve();
  };
  return { facts, send, release, replies, scheduler, page: () => page, dispatch };
}

type World = ReturnType<typeof world>;

/** Every state a person can meet, each built by the requests that lead there. */
const STATES: Record<string, (w: World) => Promise<void>> = {
  'loading the data': async (w) => {
    w.send('loadData');
  },
  'the data failed to load, message shown': async (w) => {
    await w.release(w.send('loadData'), false);
  },
  'the data failed to load, message dismissed': async (w) => {
    await w.release(w.send('loadData'), false);
    w.dispatch({ type: 'dismissError' });
  },
  'ready with the shipped model': async (w) => {
    await w.release(w.send('loadData'));
  },
  'ready without a model': async (w) => {
    await w.release(w.send('loadData'));
    await w.release(w.send('reset'), false);
  },
  evaluating: async (w) => {
    await w.release(w.send('loadData'));
    w.send('evaluate');
  },
  'evaluating, a Train waiting behind it': async (w) => {
    await w.release(w.send('loadData'));
    w.send('evaluate');
    w.send('train');
  },
  'loading the shipped model again, a Train waiting': async (w) => {
    await w.release(w.send('loadData'));
    w.send('loadBundledModel');
    w.send('train');
  },
  training: async (w) => {
    await w.release(w.send('loadData'));
    w.send('train');
  },
  paused: async (w) => {
    await w.release(w.send('loadData'));
    w.send('train');
    w.send('pause');
  },
  'a run done': async (w) => {
    await w.release(w.send('loadData'));
    await w.release(w.send('train'));
  },
  'a run failed, message shown': async (w) => {
    await w.release(w.send('loadData'));
    await w.release(w.send('train'), false);
  },
  'resetting while a run was queued': async (w) => {
    await w.release(w.send('loadData'));
    w.send('evaluate');
    w.send('train');
    w.send('reset');
  },
};

/** What the worker did with one request sent now: refused (with its key), or took it. */
function outcome(w: World, type: RequestType): RefusalKey | 'taken' {
  const id = w.send(type);
  const reply = w.replies.get(id);
  if (reply && !reply.ok && reply.error.code === 'refused') return reply.error.key!;
  return 'taken';
}

const pageActionOf = (type: RequestType): PageAction | undefined =>
  (Object.keys(PAGE_ACTIONS) as PageAction[]).find((a) => PAGE_ACTIONS[a] === type);

describe('the page offers exactly what the worker accepts, in the same words', () => {
  for (const [name, build] of Object.entries(STATES)) {
    it(name, async () => {
      const probe = world();
      await build(probe);
      const page = probe.page();
      // The page's mirror of the worker's state and the worker's own give the same decision for every command.
      const pageState = commandStateOf(page);
      const workerState = probe.scheduler.state();
      for (const type of WALKED)
        expect(decide(type, pageState), `${type}: page ${JSON.stringify(pageState)}`).toEqual(decide(type, workerState));

      const can = availability(page);
      for (const type of WALKED) {
        // A fresh world in the same state: send the command for real and see what the worker does.
        const w = world();
        await build(w);
        const did = outcome(w, type);
        const action = pageActionOf(type);
        const offered = action ? availabilityKey(action, page) : null;
        if (offered === 'errorShown') continue; // page only: the page holds a run back until the message is read
        if (action) {
          expect(offered ?? 'taken', `${name}: ${type}`).toBe(did);
          expect(can[action], `${name}: ${action}`).toBe(did === 'taken' ? null : REFUSALS[did]);
        } else {
          // Commands without a button (library reads, predict, inspect): the page's table says what the worker does.
          expect(decide(type, pageState).kind === 'refuse' ? (decide(type, pageState) as { key: RefusalKey }).key : 'taken').toBe(did);
        }
      }
    });
  }

  it('walks states where buttons are on and off, so the check above has something to compare', async () => {
    const seen = new Map<PageAction, Set<string>>();
    for (const build of Object.values(STATES)) {
      const w = world();
      await build(w);
      const can = availability(w.page());
      for (const a of Object.keys(PAGE_ACTIONS) as PageAction[]) {
        if (!seen.has(a)) seen.set(a, new Set());
        seen.get(a)!.add(can[a] === null ? 'on' : 'off');
      }
    }
    for (const [action, states] of seen) expect([...states].sort(), action).toEqual(['off', 'on']);
  });
});
