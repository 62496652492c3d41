import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkerMessage, WorkerRequest } from '../shared/protocol';
import { lostWork } from './lostWork';
import i18n from '../i18n';
import { english, tr } from '../i18n/message';
import { TrainerClient, WorkerError, type ClientEvent, type TrainerClientOptions, type WorkerLike } from './trainerClient';

/** A stand-in worker: records what it is sent, and lets the test answer, emit events or crash. */
class FakeWorker implements WorkerLike {
  onmessage: Worker['onmessage'] = null;
  onerror: Worker['onerror'] = null;
  onmessageerror: Worker['onmessageerror'] = null;
  readonly sent: { req: WorkerRequest; transfer: Transferable[] }[] = [];
  terminated = false;

  postMessage(req: WorkerRequest, transfer: Transferable[]): void {
    this.sent.push({ req, transfer });
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Delivers a message from the "worker". */
  emit(msg: WorkerMessage): void {
    this.onmessage?.call(this as unknown as Worker, { data: msg } as MessageEvent);
  }
  reply(id: number, value: unknown): void {
    this.emit({ type: 'reply', id, ok: true, value });
  }
  /** The first word of a started worker (its backend's phase). */
  hello(): void {
    this.emit({ type: 'phase', phase: 'idle', activity: null, queued: 0, quietMs: 0, stepQuietMs: 0 });
  }
  crash(message = 'boom'): void {
    this.onerror?.call(this as unknown as Worker, { message, preventDefault() {} } as ErrorEvent);
  }
  /** Answers every ping sent so far (a live worker between two training steps). */
  answerPings(): void {
    for (const { req } of this.sent.splice(0)) if (req.type === 'ping') this.reply(req.id, { time: 0, phase: 'training' });
  }
}

function setup(onSpawn?: (c: TrainerClient) => void, now?: () => number, options: Partial<TrainerClientOptions> = {}) {
  const workers: FakeWorker[] = [];
  const events: ClientEvent[] = [];
  const client = new TrainerClient({
    factory: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    ...(onSpawn ? { onSpawn } : {}),
    ...(now ? { now } : {}),
    liveness: false,
    reachable: async () => true,
    ...options,
  });
  client.subscribe((e) => events.push(e));
  return { client, workers, events, last: () => workers.at(-1)! };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TrainerClient', () => {
  it('resolves each request with its own reply, whatever the order the replies come in', async () => {
    const { client, last } = setup();
    const a = client.request('listModels', {});
    const b = client.request('evaluate', {});
    const [ra, rb] = last().sent.map((s) => s.req);
    expect(ra).toMatchObject({ type: 'listModels' });
    expect(rb).toMatchObject({ type: 'evaluate' });
    expect(ra!.id).not.toBe(rb!.id);
    last().reply(rb!.id, { version: 3 });
    last().reply(ra!.id, []);
    await expect(a).resolves.toEqual([]);
    await expect(b).resolves.toEqual({ version: 3 });
    expect(client.pendingCount).toBe(0);
  });

  it('rejects with the worker error code and message (and the backend that failed)', async () => {
    const { client, last } = setup();
    const p = client.request('train', { config: {} as never });
    last().emit({
      type: 'reply',
      id: last().sent[0]!.req.id,
      ok: false,
      error: { code: 'backend', message: 'The wasm backend could not start.', backend: 'wasm' },
    });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerError);
    expect(err).toMatchObject({ code: 'backend', message: 'The wasm backend could not start.', backend: 'wasm' });
  });

  it('fans events out to listeners and ignores replies nobody waits for', () => {
    const { last, events } = setup();
    last().emit({ type: 'phase', phase: 'idle', activity: null, queued: 0, quietMs: 0, stepQuietMs: 0 });
    last().reply(999, 'nobody asked');
    expect(events).toEqual([{ type: 'phase', phase: 'idle', activity: null, queued: 0, quietMs: 0, stepQuietMs: 0 }]);
  });

  it('transfers a copy of the pixels to predict, so the caller keeps its array', () => {
    const { client, last } = setup();
    const pixels = new Float32Array(784).fill(0.5);
    void client.predict(pixels);
    const { req, transfer } = last().sent[0]!;
    expect(req.type).toBe('predict');
    expect(transfer).toHaveLength(1);
    expect(req.type === 'predict' && req.pixels).not.toBe(pixels);
    expect(pixels[0]).toBe(0.5);
  });

  it('after a crash: rejects what was pending, restarts the worker and runs onSpawn again', async () => {
    let spawns = 0;
    const { client, workers, events, last } = setup((c) => {
      spawns++;
      void c.request('listModels', {}).catch(() => {});
    });
    expect(spawns).toBe(1);
    const pending = client.request('evaluate', {});
    const first = last();
    first.hello();
    first.crash('the training worker crashed');
    await expect(pending).rejects.toMatchObject({ code: 'crash' });
    expect(first.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(spawns).toBe(2);
    expect(last().sent[0]!.req.type).toBe('listModels');
    expect(events.at(-1)).toMatchObject({ type: 'crashed', restarted: true });
    // A late message from the dead worker is ignored.
    const heard = events.length;
    first.emit({ type: 'phase', phase: 'training', activity: null, queued: 0, quietMs: 0, stepQuietMs: 0 });
    expect(events).toHaveLength(heard);
  });

  it('stops restarting a worker that keeps crashing, and says so', async () => {
    let t = 0;
    const { client, workers, events, last } = setup(undefined, () => t);
    for (let i = 0; i < 3; i++) {
      t += 1000;
      last().hello();
      last().crash();
    }
    expect(workers).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: 'crashed', restarted: false });
    expect(client.alive).toBe(false);
    await expect(client.request('listModels', {})).rejects.toMatchObject({ code: 'crash' });
  });

  it('restart() replaces the worker and cancels pending requests; dispose() terminates it', async () => {
    const { client, workers, last } = setup();
    const pending = client.request('dream', {});
    client.restart();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    const again = client.request('listModels', {});
    client.dispose();
    await expect(again).rejects.toMatchObject({ code: 'cancelled' });
    expect(last().terminated).toBe(true);
  });

  it('a worker that goes silent is noticed within seconds, restarted, and the page told what was lost', async () => {
    vi.useFakeTimers();
    let spawns = 0;
    const { client, workers, events, last } = setup(() => spawns++, undefined, {
      liveness: { pingAfterMs: 1000, deadAfterMs: 6000 },
    });
    last().hello();
    const run = client.request('train', { config: {} as never });
    run.catch(() => {}); // asserted below
    // Alive: it answers each ping; a minute passes without a restart.
    for (let i = 0; i < 60; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      last().answerPings();
    }
    expect(workers).toHaveLength(1);
    expect(last().sent.length).toBe(0);
    // Then silence (terminated with no error event).
    await vi.advanceTimersByTimeAsync(5000);
    expect(workers).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(spawns).toBe(2);
    await expect(run).rejects.toMatchObject({ code: 'crash' });
    const crashed = events.find((e) => e.type === 'crashed');
    expect(crashed).toMatchObject({ type: 'crashed', restarted: true });
    expect(crashed && 'message' in crashed && crashed.message).toMatch(
      /^The training worker stopped answering \(nothing from it for [6-8] s\)\. It was restarted.*Lost: the training run under way/,
    );
    client.dispose();
  });

  it('gives a worker busy with a heavy command the silence its phase announced, one step once a run streams, none when idle', async () => {
    vi.useFakeTimers();
    const liveness = { pingAfterMs: 1000, deadAfterMs: 6000 };
    const training = { type: 'phase', phase: 'training', activity: null, queued: 0, quietMs: 30_000, stepQuietMs: 0 } as const;
    const batch = {
      type: 'batch',
      version: 1,
      step: 1,
      stepsPerEpoch: 9,
      epoch: 0.1,
      loss: 1,
      accuracy: 0,
      rawLoss: 1,
      samplesPerSec: 1,
      etaMs: 1,
    } as const;
    /** Seconds of silence after `events` until the worker is judged dead. */
    const judgedAfter = async (...events: WorkerMessage[]) => {
      const { client, workers, last } = setup(undefined, undefined, { liveness });
      last().hello();
      for (const e of events) last().emit(e);
      let seconds = 0;
      while (workers.length === 1 && seconds < 120) {
        await vi.advanceTimersByTimeAsync(1000);
        seconds++;
      }
      client.dispose();
      return seconds;
    };
    // A run before its first batch (upload, race, first shaders): its announced 30 s.
    expect(await judgedAfter(training)).toBeGreaterThanOrEqual(30);
    // Streaming: one step (here within the usual 6 s).
    expect(await judgedAfter(training, batch)).toBeLessThanOrEqual(8);
    // Idle again: the usual.
    expect(await judgedAfter(training, { ...training, phase: 'idle', quietMs: 0 })).toBeLessThanOrEqual(8);
  });

  it('never judges a worker that has not spoken yet, nor on a tick after the page itself slept', async () => {
    vi.useFakeTimers();
    let t = 0;
    const { client, workers, last } = setup(undefined, () => t, { liveness: { pingAfterMs: 1000, deadAfterMs: 6000 } });
    // Its script still downloading: no ping, no verdict.
    for (let i = 0; i < 30; i++) {
      t += 1000;
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(last().sent).toHaveLength(0);
    last().hello();
    t += 1000;
    await vi.advanceTimersByTimeAsync(1000);
    t += 1000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(last().sent.map((s) => s.req.type)).toEqual(['ping']);
    // The laptop slept for ten minutes with the ping out: the first tick after waking judges nothing.
    t += 600_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(workers).toHaveLength(1);
    last().answerPings();
    t += 1000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(workers).toHaveLength(1);
    client.dispose();
  });

  it('a worker script that cannot be downloaded is a network problem: retried, never reported as a crash', async () => {
    vi.useFakeTimers();
    let online = false;
    const { client, workers, events, last } = setup(undefined, undefined, { reachable: async () => online });
    const pending = client.request('loadData', { baseUrl: 'http://x/', bundledModelUrl: null });
    pending.catch(() => {}); // asserted below
    last().crash(''); // a module worker whose script failed to load fires a bare error event
    await vi.advanceTimersByTimeAsync(0);
    await expect(pending).rejects.toMatchObject({ code: 'network' });
    expect(events.at(-1)).toMatchObject({ type: 'unreachable', message: expect.stringMatching(/could not be downloaded: the network/) });
    // Five more failed tries: still retrying, still no crash.
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(10_000);
      last().crash('');
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(events.some((e) => e.type === 'crashed')).toBe(false);
    expect(workers.length).toBe(6);
    online = true;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(workers.length).toBe(7);
    last().hello();
    expect(events.filter((e) => e.type === 'reachable')).toHaveLength(1);
    expect(client.alive).toBe(true);
    client.dispose();
  });

  it('a worker that fails before its first word while its script is reachable crashed', async () => {
    const { workers, events, last } = setup();
    last().crash('SyntaxError: unexpected token');
    await vi.waitFor(() => expect(workers).toHaveLength(2));
    expect(events.at(-1)).toMatchObject({ type: 'crashed', restarted: true, message: expect.stringMatching(/^SyntaxError/) });
  });

  it('says in words what a lost worker took with it', () => {
    expect(lostWork(['ping', 'listModels'])).toBeNull();
    expect(english([lostWork(['train', 'evaluate', 'ping'])])).toBe(
      'Lost: the training run under way and the model it trained and the test evaluation.',
    );
    // Lists are joined the language's way (Intl.ListFormat).
    expect(english([lostWork(['dream', 'saveModel', 'exportModel'])])).toBe(
      'Lost: the dreams being made, the model being saved (check the library), and the export.',
    );
    const zh = i18n.getFixedT('zh-CN');
    expect(tr(zh, lostWork(['dream', 'saveModel', 'exportModel'])!, 'zh-CN')).toBe(
      '丢失了：正在生成的梦境、正在保存的模型（请检查模型库）和导出。',
    );
  });
});
