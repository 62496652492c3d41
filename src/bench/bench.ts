/**
 * The benchmark page (bench.html), driven by scripts/bench.mjs through
 * Playwright: each function runs one measurement in a fresh worker and
 * resolves with plain JSON. Not part of the app.
 */
import type { WorkerEvent, WorkerRequest } from '../shared/protocol';
import { DEFAULT_CONFIG, type BackendChoice } from '../shared/trainConfig';
import type { BenchRequest, BenchResult } from '../worker/bench.worker';

const baseUrl = new URL('data/', location.href).href;

/** Runs one request in a fresh bench worker. */
function measure(req: Omit<BenchRequest, 'baseUrl'>): Promise<BenchResult> {
  const worker = new Worker(new URL('../worker/bench.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<BenchResult>((resolve) => {
    worker.onmessage = (ev: MessageEvent<BenchResult>) => resolve(ev.data);
    worker.onerror = (ev) => resolve({ backend: req.backend, renderer: '', error: ev.message || 'worker error' });
    worker.postMessage({ ...req, baseUrl });
  }).finally(() => worker.terminate());
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * The full reference recipe through the app's own worker: data-ready time,
 * wall time, test accuracy and predict round trips while training runs.
 */
async function recipe(backend: BackendChoice, epochs = DEFAULT_CONFIG.epochs) {
  const worker = new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), { type: 'module' });
  const events: WorkerEvent[] = [];
  const pending = new Map<number, number>();
  const latencies: number[] = [];
  let dataReadyMs = NaN;
  const send = (req: WorkerRequest, transfer: Transferable[] = []) => worker.postMessage(req, transfer);
  const done = new Promise<Extract<WorkerEvent, { type: 'done' | 'error' }>>((resolve) => {
    worker.onmessage = (ev: MessageEvent<WorkerEvent>) => {
      const e = ev.data;
      if (e.type === 'prediction') {
        const t = pending.get(e.id);
        if (t !== undefined) latencies.push(performance.now() - t);
        pending.delete(e.id);
        return;
      }
      if (e.type !== 'batch' && e.type !== 'firstLayer') events.push(e);
      if (e.type === 'dataReady') dataReadyMs = e.elapsedMs;
      if (e.type === 'done' || e.type === 'error') resolve(e);
    };
  });
  send({ type: 'loadData', baseUrl });
  await new Promise<void>((r) => {
    const check = setInterval(() => {
      if (!Number.isNaN(dataReadyMs)) {
        clearInterval(check);
        r();
      }
    }, 20);
  });
  const t0 = performance.now();
  send({ type: 'train', config: { ...DEFAULT_CONFIG, epochs, backend } });
  let id = 0;
  let training = false;
  const timer = setInterval(() => {
    if (!training) {
      training = events.some((e) => e.type === 'phase' && e.phase === 'training');
      return;
    }
    const pixels = new Float32Array(784).map((_, i) => ((i * 7) % 13) / 13);
    pending.set(++id, performance.now());
    send({ type: 'predict', id, pixels }, [pixels.buffer]);
  }, 50);
  const end = await done;
  clearInterval(timer);
  const wallMs = performance.now() - t0;
  worker.terminate();
  const ready = events.filter((e) => e.type === 'ready').at(-1) as Extract<WorkerEvent, { type: 'ready' }> | undefined;
  latencies.sort((a, b) => a - b);
  return {
    backend: ready?.backend ?? backend,
    renderer: ready?.renderer ?? '',
    note: ready?.note ?? null,
    dataReadyMs,
    wallMs,
    testAccuracy: end.type === 'done' ? end.report.testAccuracy : null,
    error: end.type === 'error' ? end.message : null,
    epochs: events.filter((e) => e.type === 'epoch'),
    predict: { count: latencies.length, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), maxMs: latencies.at(-1) ?? NaN },
  };
}

/** What `auto` picks here, and the WASM threading of this page. */
async function info() {
  const worker = new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), { type: 'module' });
  const ready = await new Promise<WorkerEvent>((resolve) => {
    worker.onmessage = (ev: MessageEvent<WorkerEvent>) => {
      if (ev.data.type === 'ready' || ev.data.type === 'error') resolve(ev.data);
    };
  });
  worker.terminate();
  return { crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, auto: ready };
}

/** A raw session with the app's worker, for checks by hand: open, send requests, read the events. */
const session = {
  worker: null as Worker | null,
  log: [] as WorkerEvent[],
  open(): void {
    session.worker?.terminate();
    session.log = [];
    session.worker = new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), { type: 'module' });
    session.worker.onmessage = (ev: MessageEvent<WorkerEvent>) => session.log.push(ev.data);
    session.worker.postMessage({ type: 'loadData', baseUrl } satisfies WorkerRequest);
  },
  send(req: WorkerRequest): void {
    session.worker?.postMessage(req);
  },
  /** Events so far, without bulky arrays. */
  events(): unknown[] {
    return session.log.map((e) => (e.type === 'done' || e.type === 'report' ? { type: e.type, testAccuracy: e.report.testAccuracy } : e.type === 'firstLayer' || e.type === 'dataReady' ? { type: e.type } : e));
  },
};

Object.assign(window, { bench: { measure, recipe, info, session } });
document.getElementById('status')!.dataset.ready = 'true';
