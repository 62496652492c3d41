import { describe, expect, it } from 'vitest';
import type { Reply, RequestType, WorkerMessage, WorkerRequest } from '../shared/protocol';
import { trainingQuiet } from '../shared/quiet';
import { DEFAULT_CONFIG } from '../shared/trainConfig';
import { Scheduler, transferablesOf, type Handlers } from './scheduler';

const IMMEDIATE = new Set(['pause', 'resume', 'stop', 'predict', 'ping', 'listModels']);

/**
 * A scheduler over handlers the test controls: each exclusive handler starts, then waits until
 * the test releases it. The test waits for what it expects to see (a start, a reply), never for
 * a number of event-loop turns.
 */
function harness() {
  const messages: WorkerMessage[] = [];
  const log: string[] = [];
  const gates = new Map<number, (outcome: 'ok' | 'fail') => void>();
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const facts = { data: true, model: true, paused: false };
  const cancelled: RequestType[] = [];
  const changed = () => {
    for (const w of [...waiters])
      if (w.test()) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  /** Resolves once `test` holds (checked after every message and every handler start). */
  const until = (test: () => boolean) => (test() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve })));
  const gated = (type: string) => async (req: WorkerRequest) => {
    log.push(`start ${type}`);
    changed();
    const outcome = await new Promise<'ok' | 'fail'>((r) => gates.set(req.id, r));
    log.push(`end ${type}`);
    if (outcome === 'fail') throw new Error(`${type} failed`);
    return type;
  };
  const handlers = new Proxy({} as Handlers, {
    get: (_, type: string) => (IMMEDIATE.has(type) ? async () => `${type} done` : gated(type)),
  });
  const s = new Scheduler(
    handlers,
    (m) => {
      messages.push(m);
      changed();
    },
    {
      isPaused: () => facts.paused,
      hasData: () => facts.data,
      hasModel: () => facts.model,
      cancelRunning: (type) => cancelled.push(type),
    },
  );
  let nextId = 1;
  const send = (type: RequestType, params: Record<string, unknown> = {}) => {
    const id = nextId++;
    // The door has checked what reaches the scheduler: runs come with their config.
    const config = type === 'train' || type === 'fineTune' ? { config: DEFAULT_CONFIG } : {};
    s.submit({ ...config, ...params, type, id } as WorkerRequest);
    return id;
  };
  const replies = () => messages.filter((m): m is Reply => m.type === 'reply');
  const replyTo = (id: number) => replies().filter((r) => r.id === id);
  /** Waits for the handler of `type` to have started `n` times in all. */
  const started = (type: string, n = 1) => until(() => log.filter((l) => l === `start ${type}`).length >= n);
  /** Ends a gated handler and waits for its reply. */
  const release = async (id: number, outcome: 'ok' | 'fail' = 'ok') => {
    await until(() => gates.has(id));
    gates.get(id)!(outcome);
    await until(() => replyTo(id).length > 0);
  };
  const replied = (id: number) => until(() => replyTo(id).length > 0);
  const phases = () => messages.filter((m) => m.type === 'phase');
  return { s, messages, log, facts, cancelled, send, replyTo, replied, release, started, phases };
}

describe('Scheduler', () => {
  it('answers every request exactly once, runs exclusive commands one at a time in order', async () => {
    const h = harness();
    const a = h.send('evaluate');
    const b = h.send('dream');
    const c = h.send('predict');
    await h.started('evaluate');
    await h.replied(c);
    expect(h.log).toEqual(['start evaluate']);
    expect(h.replyTo(c)).toEqual([{ type: 'reply', id: c, ok: true, value: 'predict done' }]);
    await h.release(a);
    await h.started('dream');
    expect(h.log).toEqual(['start evaluate', 'end evaluate', 'start dream']);
    await h.release(b);
    for (const id of [a, b, c]) expect(h.replyTo(id)).toHaveLength(1);
    expect(h.replyTo(b)[0]).toMatchObject({ ok: true, value: 'dream' });
  });

  it("refuses with the table's key and sentence instead of running a conflicting command; errors become error replies", async () => {
    const h = harness();
    const t = h.send('train');
    const l = h.send('loadBundledModel');
    expect(h.replyTo(l)).toEqual([
      { type: 'reply', id: l, ok: false, error: { code: 'refused', key: 'stopToLoad', message: 'Stop training to load a model.' } },
    ]);
    await h.release(t);
    const e = h.send('evaluate');
    await h.release(e, 'fail');
    expect(h.replyTo(e)[0]).toMatchObject({ ok: false, error: { code: 'internal', message: 'evaluate failed' } });
    // after a failure the queue goes on
    const d = h.send('dream');
    await h.release(d);
    expect(h.replyTo(d)[0]).toMatchObject({ ok: true, value: 'dream' });
  });

  it('Stop and Reset cancel a run that has not started yet; Reset ends a running one', async () => {
    const h = harness();
    const ev = h.send('evaluate');
    const t = h.send('train');
    const r = h.send('reset');
    expect(h.replyTo(t)).toEqual([
      { type: 'reply', id: t, ok: false, error: { code: 'cancelled', message: 'Cancelled by reset before it started.' } },
    ]);
    expect(h.cancelled).toEqual([]); // evaluate is not a run: Reset waits for it
    await h.release(ev);
    await h.started('reset');
    expect(h.log).toEqual(['start evaluate', 'end evaluate', 'start reset']);
    await h.release(r);
    expect(h.replyTo(r)).toHaveLength(1);

    const run = h.send('train');
    await h.started('train');
    const r2 = h.send('reset');
    expect(h.cancelled).toEqual(['train']);
    await h.release(run);
    await h.started('reset', 2);
    await h.release(r2);
    // A fine-tune is a run like Train: nothing else touching the model meanwhile.
    const f = h.send('fineTune');
    expect(h.replyTo(h.send('evaluate'))[0]).toMatchObject({ ok: false, error: { key: 'stopToEvaluate' } });
    expect(h.replyTo(h.send('train'))[0]).toMatchObject({ ok: false, error: { key: 'training' } });
    await h.release(f);
  });

  it('refuses what needs the data while it loads, and checks needs again when a queued command gets its turn', async () => {
    const h = harness();
    h.facts.data = false;
    h.facts.model = false;
    const load = h.send('loadData');
    const early = h.send('train');
    expect(h.replyTo(early)[0]).toMatchObject({ ok: false, error: { code: 'refused', key: 'dataLoading' } });
    expect(h.replyTo(h.send('loadData'))[0]).toMatchObject({ ok: false, error: { key: 'alreadyLoading' } });
    h.facts.data = true;
    h.facts.model = true;
    await h.release(load);
    // A Reset that leaves no model: the dream queued behind it is refused when its turn comes.
    const reset = h.send('reset');
    const dream = h.send('dream');
    h.facts.model = false;
    await h.release(reset);
    await h.replied(dream);
    expect(h.replyTo(dream)[0]).toMatchObject({ ok: false, error: { code: 'refused', key: 'noModel' } });
    expect(h.log).not.toContain('start dream');
  });

  it('abandons a command stuck on a dead device: one reply now, its late outcome dropped, the queue goes on', async () => {
    const h = harness();
    const stuck = h.send('evaluate');
    const next = h.send('dream');
    await h.started('evaluate');
    h.s.abandonRunning({ code: 'context-lost', message: 'lost' });
    expect(h.replyTo(stuck)).toEqual([{ type: 'reply', id: stuck, ok: false, error: { code: 'context-lost', message: 'lost' } }]);
    await h.started('dream');
    await h.release(stuck); // resolves a handler nobody waits for any more
    await h.release(next);
    expect(h.replyTo(stuck)).toHaveLength(1);
    expect(h.replyTo(next)[0]).toMatchObject({ ok: true, value: 'dream' });
  });

  it('posts its phase: loading, busy with what and how many wait, training/paused, idle', async () => {
    const h = harness();
    const a = h.send('loadData');
    expect(h.phases().at(-1)).toEqual({ type: 'phase', phase: 'loading-data', activity: null, queued: 0, quietMs: 30_000, stepQuietMs: 0 });
    const b = h.send('loadModel', { modelId: 'm1' });
    expect(h.phases().at(-1)).toMatchObject({ phase: 'loading-data', queued: 1 });
    await h.release(a);
    await h.started('loadModel');
    expect(h.phases().at(-1)).toEqual({ type: 'phase', phase: 'busy', activity: 'loadModel', queued: 0, quietMs: 30_000, stepQuietMs: 0 });
    await h.release(b);
    expect(h.phases().at(-1)).toMatchObject({ phase: 'idle', quietMs: 0 });
    // A large network's run announces how long its steps may keep the worker silent.
    const big = { ...DEFAULT_CONFIG, hiddenUnits: [1024, 1024, 1024, 1024] };
    const t = h.send('train', { config: big });
    const quiet = trainingQuiet(big.hiddenUnits, big.batchSize);
    expect(h.phases().at(-1)).toMatchObject({ phase: 'training', quietMs: quiet.startMs, stepQuietMs: quiet.stepMs });
    expect(quiet.stepMs).toBeGreaterThan(30_000);
    h.facts.paused = true;
    h.s.postPhase();
    expect(h.phases().at(-1)).toMatchObject({ phase: 'paused' });
    h.facts.paused = false;
    await h.release(t);
    expect(h.phases().at(-1)).toMatchObject({ phase: 'idle' });
  });

  it('transfers only buffers a reply value owns whole', () => {
    const own = new Float32Array(10);
    const view = new Float32Array(new ArrayBuffer(400), 0, 10);
    const raw = new ArrayBuffer(8);
    expect(transferablesOf({ probs: own, images: view, weights: raw, n: 3 })).toEqual([own.buffer, raw]);
    expect(transferablesOf(null)).toEqual([]);
  });
});
