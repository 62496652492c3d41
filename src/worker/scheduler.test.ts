import { describe, expect, it } from 'vitest';
import type { Reply, RequestType, WorkerMessage, WorkerRequest } from '../shared/protocol';
import { decide } from './commandPolicy';
import { Scheduler, transferablesOf, type Handlers } from './scheduler';

describe('commandPolicy.decide', () => {
  const idle = { running: null, queued: [] };
  it('runs immediate commands at once, whatever runs', () => {
    for (const type of ['pause', 'resume', 'stop', 'predict', 'listModels', 'deleteModel'] as RequestType[]) {
      expect(decide(type, { running: 'train', queued: ['evaluate'] })).toEqual({ kind: 'now' });
    }
  });
  it('runs an exclusive command now when idle, queues it behind another', () => {
    expect(decide('evaluate', idle)).toEqual({ kind: 'now' });
    expect(decide('evaluate', { running: 'loadBundledModel', queued: [] })).toEqual({ kind: 'queue' });
    // Train pressed while the shipped model loads: it waits for it.
    expect(decide('train', { running: 'loadData', queued: [] })).toEqual({ kind: 'queue' });
    expect(decide('reset', { running: 'evaluate', queued: [] })).toEqual({ kind: 'queue' });
    expect(decide('train', { running: 'evaluate', queued: [] })).toEqual({ kind: 'queue' });
  });
  it('refuses, with words, what cannot apply while a run is under way or waiting', () => {
    for (const view of [
      { running: 'train' as const, queued: [] },
      { running: 'evaluate' as const, queued: ['train' as const] },
    ]) {
      expect(decide('loadBundledModel', view)).toEqual({ kind: 'refuse', message: 'Stop training to load the pre-trained model.' });
      expect(decide('loadModel', view)).toMatchObject({ kind: 'refuse', message: 'Stop training to load a model.' });
      expect(decide('train', view)).toMatchObject({ kind: 'refuse' });
      expect(decide('evaluate', view)).toMatchObject({ kind: 'refuse' });
      expect(decide('reset', view)).toEqual({ kind: 'queue' });
    }
  });
});

/** A scheduler over handlers the test controls: each exclusive handler waits until released. */
function harness() {
  const messages: WorkerMessage[] = [];
  const log: string[] = [];
  const gates = new Map<number, () => void>();
  let paused = false;
  const gated = (name: string) => async (req: WorkerRequest) => {
    log.push(`start ${name}`);
    await new Promise<void>((r) => gates.set(req.id, r));
    log.push(`end ${name}`);
    if (name === 'evaluate') throw Object.assign(new Error('evaluation failed'), {});
    return name;
  };
  const handlers = new Proxy({} as Handlers, {
    get: (_, type: string) => (['pause', 'resume', 'stop', 'predict'].includes(type) ? async () => `${type} done` : gated(type)),
  });
  const s = new Scheduler(
    handlers,
    (m) => messages.push(m),
    () => paused,
  );
  let nextId = 1;
  const send = (type: RequestType) => {
    const id = nextId++;
    s.submit({ type, id } as WorkerRequest);
    return id;
  };
  const replies = () => messages.filter((m): m is Reply => m.type === 'reply');
  const replyTo = (id: number) => replies().filter((r) => r.id === id);
  const release = async (id: number) => {
    gates.get(id)?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { s, messages, log, send, replyTo, replies, release, settle, setPaused: (p: boolean) => (paused = p) };
}

describe('Scheduler', () => {
  it('answers every request exactly once, runs exclusive commands one at a time in order', async () => {
    const h = harness();
    const a = h.send('loadData');
    const b = h.send('train');
    const c = h.send('predict');
    await h.settle();
    expect(h.log).toEqual(['start loadData']);
    expect(h.replyTo(c)).toEqual([{ type: 'reply', id: c, ok: true, value: 'predict done' }]);
    await h.release(a);
    expect(h.log).toEqual(['start loadData', 'end loadData', 'start train']);
    await h.release(b);
    for (const id of [a, b, c]) expect(h.replyTo(id)).toHaveLength(1);
    expect(h.replyTo(b)[0]).toMatchObject({ ok: true, value: 'train' });
  });

  it('refuses with a reason instead of running a conflicting command; errors become error replies', async () => {
    const h = harness();
    const t = h.send('train');
    const l = h.send('loadBundledModel');
    expect(h.replyTo(l)).toEqual([
      { type: 'reply', id: l, ok: false, error: { code: 'refused', message: 'Stop training to load the pre-trained model.' } },
    ]);
    await h.release(t);
    const e = h.send('evaluate');
    await h.settle();
    await h.release(e);
    expect(h.replyTo(e)[0]).toMatchObject({ ok: false, error: { code: 'internal', message: 'evaluation failed' } });
    // after a failure the queue goes on
    const d = h.send('dream');
    await h.settle();
    await h.release(d);
    expect(h.replyTo(d)[0]).toMatchObject({ ok: true, value: 'dream' });
  });

  it('Stop and Reset cancel a run that has not started yet', async () => {
    const h = harness();
    const ev = h.send('evaluate');
    const t = h.send('train');
    const r = h.send('reset');
    expect(h.replyTo(t)).toEqual([
      { type: 'reply', id: t, ok: false, error: { code: 'cancelled', message: 'Cancelled by reset before it started.' } },
    ]);
    await h.settle();
    await h.release(ev);
    expect(h.log).toEqual(['start evaluate', 'end evaluate', 'start reset']);
    await h.release(r);
    expect(h.replyTo(r)).toHaveLength(1);
  });

  it('posts its phase: loading, busy with what and how many wait, training/paused, idle', async () => {
    const h = harness();
    const phases = () => h.messages.filter((m) => m.type === 'phase');
    const a = h.send('loadData');
    expect(phases().at(-1)).toEqual({ type: 'phase', phase: 'loading-data', activity: null, queued: 0 });
    const b = h.send('evaluate');
    expect(phases().at(-1)).toMatchObject({ phase: 'loading-data', queued: 1 });
    await h.release(a);
    expect(phases().at(-1)).toEqual({ type: 'phase', phase: 'busy', activity: 'evaluate', queued: 0 });
    await h.release(b);
    expect(phases().at(-1)).toMatchObject({ phase: 'idle' });
    const t = h.send('train');
    expect(phases().at(-1)).toMatchObject({ phase: 'training' });
    h.setPaused(true);
    h.s.postPhase();
    expect(phases().at(-1)).toMatchObject({ phase: 'paused' });
    h.setPaused(false);
    await h.release(t);
    expect(phases().at(-1)).toMatchObject({ phase: 'idle' });
  });

  it('transfers only buffers a reply value owns whole', () => {
    const own = new Float32Array(10);
    const view = new Float32Array(new ArrayBuffer(400), 0, 10);
    const raw = new ArrayBuffer(8);
    expect(transferablesOf({ probs: own, images: view, weights: raw, n: 3 })).toEqual([own.buffer, raw]);
    expect(transferablesOf(null)).toEqual([]);
  });
});
