/**
 * The benchmark page (bench.html), driven by scripts/bench.mjs through
 * Playwright: each function runs one measurement in a fresh worker and
 * resolves with plain JSON. Not part of the app.
 */
import { TrainerClient, type ClientEvent } from '../client/trainerClient';
import type { RequestParams, RequestType, WorkerEvent } from '../shared/protocol';
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
 * The full reference recipe through the app's own worker and client: data-ready time,
 * wall time, test accuracy and predict round trips while training runs.
 */
async function recipe(backend: BackendChoice, epochs = DEFAULT_CONFIG.epochs, seed = DEFAULT_CONFIG.seed) {
  const events: ClientEvent[] = [];
  const latencies: number[] = [];
  const client = new TrainerClient();
  client.subscribe((e) => {
    if (e.type !== 'batch' && e.type !== 'firstLayer') events.push(e);
  });
  try {
    const data = await client.request('loadData', { baseUrl, bundledModelUrl: null, backend });
    const t0 = performance.now();
    const run = client.request('train', { config: { ...DEFAULT_CONFIG, epochs, backend, seed } });
    let finished = false;
    void run.finally(() => (finished = true)).catch(() => {});
    // Predictions while training, one in flight at a time, as the drawing pad sends them.
    const pixels = new Float32Array(784).map((_, i) => ((i * 7) % 13) / 13);
    const predicting = (async () => {
      while (!finished) {
        if (events.some((e) => e.type === 'phase' && e.phase === 'training')) {
          const t = performance.now();
          await client.predict(pixels).catch(() => null);
          latencies.push(performance.now() - t);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    let testAccuracy: number | null = null;
    let error: string | null = null;
    try {
      testAccuracy = (await run).report?.testAccuracy ?? null;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const wallMs = performance.now() - t0;
    await predicting;
    const ready = events.filter((e) => e.type === 'ready').at(-1) as Extract<WorkerEvent, { type: 'ready' }> | undefined;
    latencies.sort((a, b) => a - b);
    return {
      backend: ready?.backend ?? backend,
      renderer: ready?.renderer ?? '',
      note: ready?.note ?? null,
      seed,
      dataReadyMs: data.elapsedMs,
      wallMs,
      testAccuracy,
      error,
      epochs: events.filter((e) => e.type === 'epoch'),
      predict: {
        count: latencies.length,
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        maxMs: latencies.at(-1) ?? NaN,
      },
    };
  } finally {
    client.dispose();
  }
}

/** What `auto` picks here (and how long its race took), and the WASM threading of this page. */
async function info() {
  const t0 = performance.now();
  const client = new TrainerClient();
  const ready = await new Promise<ClientEvent>((resolve) => {
    client.subscribe((e) => {
      if (e.type === 'ready' || e.type === 'fault') resolve(e);
    });
    // The worker starts its backend (here auto's choice) when it is asked for the data.
    client.request('loadData', { baseUrl, bundledModelUrl: null }).catch(() => {});
  });
  const readyMs = performance.now() - t0;
  client.dispose();
  /** readyMs: worker start to its first `ready` (includes auto's race unless its verdict was remembered; the data loads meanwhile). */
  return { crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, auto: ready, readyMs };
}

/** A raw session with the app's worker, for checks by hand: open, send requests, read the events and replies. */
const session = {
  client: null as TrainerClient | null,
  log: [] as unknown[],
  open(): void {
    session.client?.dispose();
    session.log = [];
    session.client = new TrainerClient();
    session.client.subscribe((e) => session.log.push(e.type === 'firstLayer' ? { type: e.type, version: e.version } : e));
    void session.send('loadData', { baseUrl, bundledModelUrl: null });
  },
  async send<K extends RequestType>(type: K, params: RequestParams<K>): Promise<unknown> {
    const out = await session.client!.request(type, params).catch((e: unknown) => ({ error: String(e) }));
    session.log.push({ reply: type, value: out && typeof out === 'object' && 'report' in out ? { ...out, report: '…' } : out });
    return out;
  },
};

Object.assign(window, { bench: { measure, recipe, info, session } });
document.getElementById('status')!.dataset.ready = 'true';
