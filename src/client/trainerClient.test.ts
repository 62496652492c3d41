import { describe, expect, it } from 'vitest';
import type { WorkerMessage, WorkerRequest } from '../shared/protocol';
import { TrainerClient, WorkerError, type ClientEvent, type WorkerLike } from './trainerClient';

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
  crash(message = 'boom'): void {
    this.onerror?.call(this as unknown as Worker, { message, preventDefault() {} } as ErrorEvent);
  }
}

function setup(onSpawn?: (c: TrainerClient) => void, now?: () => number) {
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
  });
  client.subscribe((e) => events.push(e));
  return { client, workers, events, last: () => workers.at(-1)! };
}

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
    last().emit({ type: 'phase', phase: 'idle', activity: null, queued: 0 });
    last().reply(999, 'nobody asked');
    expect(events).toEqual([{ type: 'phase', phase: 'idle', activity: null, queued: 0 }]);
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
    first.crash('the training worker crashed');
    await expect(pending).rejects.toMatchObject({ code: 'crash' });
    expect(first.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(spawns).toBe(2);
    expect(last().sent[0]!.req.type).toBe('listModels');
    expect(events.at(-1)).toMatchObject({ type: 'crashed', restarted: true });
    // A late message from the dead worker is ignored.
    first.emit({ type: 'phase', phase: 'training', activity: null, queued: 0 });
    expect(events.filter((e) => e.type === 'phase')).toHaveLength(0);
  });

  it('stops restarting a worker that keeps crashing, and says so', async () => {
    let t = 0;
    const { client, workers, events, last } = setup(undefined, () => t);
    for (let i = 0; i < 3; i++) {
      t += 1000;
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
});
