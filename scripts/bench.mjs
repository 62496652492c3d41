#!/usr/bin/env node
/* global window, document -- page.evaluate callbacks run in the browser */
// Benchmarks the training engine in headless Chromium: serves the built app
// (dist/, with COOP/COEP so WASM threads work), opens bench.html through
// Playwright and measures, in one run:
// - per backend, the engine's training throughput against a plain model.fit
//   baseline; on wasm the WASM SIMD kernel with a sparse and a dense first
//   layer and today's tf.js WASM engine beside them;
// - the full reference recipe through the app's worker at seeds 42, 1 and 7,
//   in the real page (scripts/benchUi.mjs: long tasks, stroke → prediction),
//   and natively in scikit-learn (scripts/benchNative.mjs), with their ratios.
// Prints a table (scripts/benchReport.mjs) and writes bench-results.json.
//
//   node scripts/bench.mjs [--quick] [--backends wasm,cpu] [--dist dist] [--port 4310]
//                          [--steps N] [--repeat 3] [--threads] [--no-recipe] [--no-ui]
//                          [--no-native] [--investigate]
// Throughput rows are medians of --repeat runs (the variants and model.fit
// alternate, so all see the same load); the spread is the min–max, and each
// ratio is the median of the per-run ratios.
import { writeFile, stat } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { browserPath } from './findBrowser.mjs';
import { benchUi } from './benchUi.mjs';
import { benchNative } from './benchNative.mjs';
import { fmt, median, printReport, spread } from './benchReport.mjs';
import { serveDist } from './serveDist.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const quick = flag('quick');
const backends = option('backends', 'webgl,wasm,cpu').split(',').filter(Boolean);
const dist = resolve(option('dist', 'dist'));
const port = Number(option('port', 4310));
const out = option('out', 'bench-results.json');
/** Measured steps per backend (batch 32) after a warm-up; cpu and SwiftShader WebGL are slow, so fewer. */
const defaultSteps = quick ? { webgl: 150, wasm: 300, cpu: 100, webgpu: 300 } : { webgl: 500, wasm: 2000, cpu: 400, webgpu: 2000 };
const stepsFor = (b) => Number(option('steps', defaultSteps[b] ?? 500));
const warmupFor = (b) => (quick ? 20 : b === 'wasm' ? 100 : 40);
const repeat = Math.max(1, Number(option('repeat', quick ? 1 : 3)));
/** The recipe's seeds: the issue's three (one with --quick). */
const seeds = quick ? [42] : [42, 1, 7];

/** What trains on each backend: on wasm the kernel's two first layers and tf.js; elsewhere tf.js. */
const variantsFor = (backend) =>
  backend === 'wasm'
    ? [
        { name: 'kernel sparse', kernel: 'sparse' },
        { name: 'kernel dense', kernel: 'dense' },
        { name: 'tf.js engine', kernel: 'off' },
      ]
    : [{ name: 'tf.js engine', kernel: 'off' }];

/** Peak JS heap and array buffers over the page and its workers while `f` runs (browser-level CDP). */
async function withHeapPeak(browser, f) {
  const cdp = await browser.newBrowserCDPSession();
  let msgId = 0;
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const m = JSON.parse(message);
    waiting.get(m.id)?.(m.result);
    waiting.delete(m.id);
  });
  const sessions = new Map();
  const heapOf = async (targetId) => {
    if (!sessions.has(targetId)) sessions.set(targetId, (await cdp.send('Target.attachToTarget', { targetId, flatten: false })).sessionId);
    const id = ++msgId;
    const result = new Promise((r) => waiting.set(id, r));
    await cdp.send('Target.sendMessageToTarget', {
      sessionId: sessions.get(targetId),
      message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }),
    });
    const r = await Promise.race([result, new Promise((res) => setTimeout(() => res(null), 1000))]);
    return { used: r?.usedSize ?? 0, backing: r?.backingStorageSize ?? 0 };
  };
  let peak = 0;
  let peakBacking = 0;
  let sampling = false;
  const sampler = setInterval(async () => {
    if (sampling) return;
    sampling = true;
    try {
      const { targetInfos } = await cdp.send('Target.getTargets');
      let total = 0;
      let backing = 0;
      for (const t of targetInfos.filter((t) => t.type === 'page' || t.type === 'worker')) {
        const h = await heapOf(t.targetId).catch(() => ({ used: 0, backing: 0 }));
        total += h.used;
        backing += h.backing;
      }
      peak = Math.max(peak, total);
      peakBacking = Math.max(peakBacking, backing);
    } catch {
      // a target may vanish between listing and asking; the next sample counts
    } finally {
      sampling = false;
    }
  }, 1000);
  try {
    return { value: await f(), peakJsHeapBytes: peak || null, peakArrayBufferBytes: peakBacking || null };
  } finally {
    clearInterval(sampler);
  }
}

async function main() {
  await stat(join(dist, 'bench.html')).catch(() => {
    throw new Error(`${dist}/bench.html is missing: run \`npm run build\` first (or npm run bench)`);
  });
  const server = await serveDist(dist, port);
  const browser = await chromium.launch({
    executablePath: browserPath(),
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--enable-unsafe-swiftshader'],
  });
  const page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
  await page.goto(`http://127.0.0.1:${port}/bench.html`);
  await page.waitForFunction(() => document.getElementById('status')?.dataset.ready === 'true');
  const measure = (req) => page.evaluate((r) => window.bench.measure(r), req);

  const results = {
    date: new Date().toISOString(),
    /** The 1-minute load average at the start and end: other work on this shared machine. */
    machine: { cpus: cpus().length, browser: browser.version(), loadStart: loadavg()[0], loadEnd: null },
    options: { quick, backends, repeat, seeds },
    info: null,
    throughput: [],
    agreement: [],
    /** The recipe through the app's worker, one run per seed. */
    recipe: null,
    investigation: [],
    threads: null,
    /** scikit-learn on the same recipe and data, one run per seed, or why it was skipped. */
    native: null,
    /** The recipe in the real page (benchUi.mjs), `repeat` runs. */
    ui: null,
  };
  const log = (...a) => console.log(...a);
  results.info = await page.evaluate(() => window.bench.info());
  log(
    `page cross-origin isolated: ${results.info.crossOriginIsolated}; auto picks ${results.info.auto.backend} (${results.info.auto.renderer}) after ${fmt(results.info.readyMs)} ms; race: ${results.info.auto.note}`,
  );

  for (const backend of backends) {
    const steps = stepsFor(backend);
    const warmup = warmupFor(backend);
    const fitSteps = Math.max(50, Math.round(steps / (backend === 'wasm' ? 2 : 1)));
    const variants = variantsFor(backend);
    const runs = variants.map(() => []);
    const fits = [];
    for (let i = 0; i < repeat; i++) {
      for (const [v, variant] of variants.entries()) {
        log(`${backend}: ${variant.name}, ${steps} steps after ${warmup} warm-up (run ${i + 1}/${repeat})…`);
        runs[v].push(await measure({ kind: 'engine', backend, steps, warmup, kernel: variant.kernel }));
      }
      log(`${backend}: model.fit baseline, ${fitSteps} steps (run ${i + 1}/${repeat})…`);
      fits.push(await measure({ kind: 'fit', backend, steps: fitSteps, warmup: Math.min(warmup, 40) }));
    }
    const tfjs = runs[variants.findIndex((v) => v.kernel === 'off')];
    const ratio = (a, b) => a.map((x, i) => (x.samplesPerSec && b[i]?.samplesPerSec ? x.samplesPerSec / b[i].samplesPerSec : null));
    const phaseKeys = ['batch', 'forward', 'backward', 'optimizer', 'kernel', 'reads'];
    for (const [v, variant] of variants.entries()) {
      const engines = runs[v];
      const first = engines.find((e) => !e.error) ?? engines[0];
      const row = {
        backend,
        variant: variant.name,
        path: first.path ?? null,
        renderer: first.renderer,
        engineSamplesPerSec: median(engines.map((e) => e.samplesPerSec)),
        engineSpread: spread(engines.map((e) => e.samplesPerSec)),
        fitSamplesPerSec: median(fits.map((f) => f.samplesPerSec)),
        fitSpread: spread(fits.map((f) => f.samplesPerSec)),
        /** Median of the per-run ratios (each run's engine over the model.fit right after it). */
        speedup: median(ratio(engines, fits)),
        speedupSpread: spread(ratio(engines, fits)),
        /** Over today's tf.js engine on the same backend, per run. */
        overTfjs: median(ratio(engines, tfjs)),
        overTfjsSpread: spread(ratio(engines, tfjs)),
        kernelsPerStep: median(engines.map((e) => e.kernelsPerStep)),
        uploadsPerStep: median(engines.map((e) => e.uploadsPerStep)),
        kernels: first.kernels ?? null,
        phasesMs: first.phasesMs ? Object.fromEntries(phaseKeys.map((k) => [k, median(engines.map((e) => e.phasesMs?.[k]))])) : null,
        threads: first.threads ?? null,
        validationMs: median(engines.map((e) => e.validationMs)),
        error: engines.find((e) => e.error)?.error ?? fits.find((f) => f.error)?.error ?? null,
      };
      results.throughput.push(row);
      log(
        `  ${variant.name}: ${fmt(row.engineSamplesPerSec)} samples/s, model.fit ${fmt(row.fitSamplesPerSec)}, x${fmt(row.speedup, 2)} model.fit, x${fmt(row.overTfjs, 2)} tf.js engine${row.error ? ` error: ${row.error}` : ''}`,
      );
    }
  }

  if (flag('threads') && backends.includes('wasm') && results.info.crossOriginIsolated) {
    // tf.js WASM threads (the kernel itself is one thread): the tf.js engine with 1 and with n XNNPACK threads.
    const n = Math.max(2, results.info.hardwareConcurrency);
    const runs = { 1: [], [n]: [] };
    for (let i = 0; i < repeat; i++)
      for (const threads of [1, n]) {
        log(`wasm threads (tf.js engine): ${threads} (run ${i + 1}/${repeat})…`);
        runs[threads].push(
          await measure({ kind: 'engine', backend: 'wasm', steps: stepsFor('wasm'), warmup: warmupFor('wasm'), threads, kernel: 'off' }),
        );
      }
    results.threads = [1, n].map((threads) => ({
      asked: threads,
      got: runs[threads][0]?.threads ?? null,
      samplesPerSec: median(runs[threads].map((r) => r.samplesPerSec)),
      spread: spread(runs[threads].map((r) => r.samplesPerSec)),
    }));
  }

  if (!quick || flag('agreement')) {
    for (const backend of backends) {
      log(`${backend}: one epoch on trainSize=6000…`);
      const r = await measure({ kind: 'agreement', backend, trainSize: 6000 });
      results.agreement.push({ backend, valAccuracy: r.valAccuracy ?? null, error: r.error ?? null });
    }
  }

  if (!flag('no-recipe')) {
    const fastest = [...results.throughput]
      .filter((r) => r.engineSamplesPerSec)
      .sort((a, b) => b.engineSamplesPerSec - a.engineSamplesPerSec)[0];
    const backend = fastest?.backend ?? 'wasm';
    const epochs = quick ? 1 : 10;
    const runs = [];
    let heap = null;
    for (const seed of seeds) {
      log(`recipe: ${epochs} epoch(s) on ${backend}, seed ${seed}, through the app's worker, with predict round trips every 50 ms…`);
      const measured = await withHeapPeak(browser, () =>
        page.evaluate(([b, e, s]) => window.bench.recipe(b, e, s), [backend, epochs, seed]),
      );
      heap ??= { peakJsHeapBytes: measured.peakJsHeapBytes, peakArrayBufferBytes: measured.peakArrayBufferBytes };
      const r = measured.value;
      runs.push({ ...r, epochsRun: r.epochs.length });
      log(
        `  ${fmt(r.wallMs / 1000, 2)} s, test accuracy ${fmt(r.testAccuracy * 100, 2)}%, predict p95 ${fmt(r.predict.p95Ms, 1)} ms${r.error ? ` error: ${r.error}` : ''}`,
      );
    }
    results.recipe = {
      backend,
      runs,
      wallMs: median(runs.map((r) => r.wallMs)),
      wallSpread: spread(runs.map((r) => r.wallMs)),
      ...heap,
    };
  }

  if (flag('investigate')) {
    // Why a naive loop is slower on real data than on random data of the same shape.
    const steps = quick ? 100 : 300;
    for (const batches of ['random', 'gather', 'slice']) {
      log(`naive tf.train.adam loop on wasm, batches by ${batches}, ${steps} steps…`);
      const r = await measure({ kind: 'naive', backend: 'wasm', steps, warmup: 20, batches });
      results.investigation.push({
        loop: 'naive',
        backend: 'wasm',
        batches,
        samplesPerSec: r.samplesPerSec ?? null,
        error: r.error ?? null,
      });
    }
  }

  if (!flag('no-ui')) {
    // The real page: the full recipe (1 epoch with --quick) on the default backend while strokes are drawn.
    const runs = [];
    for (let i = 0; i < repeat; i++) {
      log(`ui: ${quick ? '1 epoch' : 'the full recipe'} in the page, drawing strokes while it trains (run ${i + 1}/${repeat})…`);
      runs.push(
        await benchUi(browser, `http://127.0.0.1:${port}/`, {
          query: quick ? '?epochs=1' : '',
          strokes: quick ? 15 : 40,
          log: (m) => log(`  ${m}`),
        }),
      );
      const u = runs.at(-1);
      log(
        `  ${fmt(u.trainingMs / 1000, 2)} s on ${u.backend}, test ${fmt(u.testAccuracy * 100, 2)}%, ${u.longTasks} long tasks, stroke → prediction p95 ${fmt(u.strokeLatencyP95Ms, 1)} ms`,
      );
    }
    results.ui = {
      runs,
      trainingMs: median(runs.map((u) => u.trainingMs)),
      trainingSpread: spread(runs.map((u) => u.trainingMs)),
      longTasks: median(runs.map((u) => u.longTasks)),
      strokeLatencyP95Ms: median(runs.map((u) => u.strokeLatencyP95Ms)),
    };
  }

  await browser.close();
  server.close();

  if (!flag('no-native') && !quick) {
    // Python only here, after the browser is closed so both have the machine to themselves.
    const runs = [];
    for (const seed of seeds) {
      const r = await benchNative({ log, seed });
      if (r.skipped) {
        results.native = { skipped: r.skipped };
        break;
      }
      runs.push(r);
      log(`  scikit-learn seed ${seed}: ${fmt(r.fitSeconds, 2)} s fit, test accuracy ${fmt(r.testAccuracy * 100, 2)}%`);
    }
    if (runs.length)
      results.native = { runs, fitSeconds: median(runs.map((r) => r.fitSeconds)), fitSpread: spread(runs.map((r) => r.fitSeconds)) };
  }
  results.machine.loadEnd = loadavg()[0];
  await writeFile(out, JSON.stringify(results, null, 2) + '\n');
  printReport(results, log);
  log(`\nwrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
