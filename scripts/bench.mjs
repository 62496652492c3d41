#!/usr/bin/env node
/* global window, document -- page.evaluate callbacks run in the browser */
// Benchmarks the training engine in headless Chromium: serves the built app
// (dist/, with COOP/COEP so WASM threads work), opens bench.html through
// Playwright and measures, per backend, the engine's training throughput
// against a plain model.fit baseline, then the full reference recipe on the
// fastest backend. Prints a table and writes bench-results.json.
//
//   node scripts/bench.mjs [--quick] [--backends wasm,cpu] [--dist dist] [--port 4310]
//                          [--steps N] [--repeat 3] [--no-threads] [--no-recipe] [--no-ui]
//                          [--no-native] [--investigate]
// Throughput rows are medians of --repeat runs (engine and model.fit alternate,
// so both see the same load); the spread is the min–max.
import { writeFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { browserPath } from './findBrowser.mjs';
import { benchUi } from './benchUi.mjs';
import { benchNative } from './benchNative.mjs';
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
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return s.length ? [Math.min(...s), Math.max(...s)] : null;
};

const fmt = (n, d = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? '—'
    : Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

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

  /** The JSON file: one object per section, so more rows (UI figures) can be added later. */
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, browser: browser.version() },
    options: { quick, backends },
    info: null,
    throughput: [],
    agreement: [],
    recipe: null,
    investigation: [],
    /** WASM engine throughput with 1 and n XNNPACK threads. */
    threads: null,
    /** scikit-learn on the same recipe and data (scripts/benchNative.mjs), or why it was skipped. */
    native: null,
    /** Reserved for UI figures (long tasks during training, stroke→prediction latency), filled by other scripts. */
    ui: {},
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
    const engines = [];
    const fits = [];
    for (let i = 0; i < repeat; i++) {
      log(`${backend}: engine, ${steps} steps after ${warmup} warm-up (run ${i + 1}/${repeat})…`);
      engines.push(await page.evaluate((r) => window.bench.measure(r), { kind: 'engine', backend, steps, warmup }));
      log(`${backend}: model.fit baseline, ${fitSteps} steps (run ${i + 1}/${repeat})…`);
      fits.push(
        await page.evaluate((r) => window.bench.measure(r), { kind: 'fit', backend, steps: fitSteps, warmup: Math.min(warmup, 40) }),
      );
    }
    const engine = engines.find((e) => !e.error) ?? engines[0];
    const ratios = engines.map((e, i) => (e.samplesPerSec && fits[i].samplesPerSec ? e.samplesPerSec / fits[i].samplesPerSec : null));
    const phaseKeys = ['batch', 'forward', 'backward', 'optimizer', 'reads'];
    const row = {
      backend,
      renderer: engine.renderer,
      engineSamplesPerSec: median(engines.map((e) => e.samplesPerSec)),
      engineSpread: spread(engines.map((e) => e.samplesPerSec)),
      engineSteps: engine.steps ?? null,
      fitSamplesPerSec: median(fits.map((f) => f.samplesPerSec)),
      fitSpread: spread(fits.map((f) => f.samplesPerSec)),
      fitSteps: fits[0].steps ?? null,
      /** Median of the per-run ratios (each run's engine over the model.fit right after it). */
      speedup: median(ratios),
      speedupSpread: spread(ratios),
      kernelsPerStep: median(engines.map((e) => e.kernelsPerStep)),
      uploadsPerStep: median(engines.map((e) => e.uploadsPerStep)),
      kernels: engine.kernels ?? null,
      phasesMs: engine.phasesMs ? Object.fromEntries(phaseKeys.map((k) => [k, median(engines.map((e) => e.phasesMs?.[k]))])) : null,
      threads: engine.threads ?? null,
      /** One validation pass (12,000 images) when an epoch ended inside the measured steps, ms. */
      validationMs: median(engines.map((e) => e.validationMs)),
      error: engines.find((e) => e.error)?.error ?? fits.find((f) => f.error)?.error ?? null,
    };
    results.throughput.push(row);
    log(
      `  engine ${fmt(row.engineSamplesPerSec)} samples/s, model.fit ${fmt(row.fitSamplesPerSec)} samples/s, x${fmt(row.speedup, 2)}; ${fmt(row.kernelsPerStep, 1)} kernels + ${fmt(row.uploadsPerStep, 1)} uploads per step${row.error ? ` error: ${row.error}` : ''}`,
    );
    if (row.phasesMs)
      log(
        `  per step (ms): ${phaseKeys.map((k) => `${k} ${fmt(row.phasesMs[k], 3)}`).join(', ')}${row.validationMs ? `; one validation pass (12,000 images) ${fmt(row.validationMs)} ms` : ''}`,
      );
    if (row.kernels) log(`  kernels per step: ${row.kernels.map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', ')}`);
  }

  if (!flag('no-threads') && backends.includes('wasm') && results.info.crossOriginIsolated) {
    // WASM threads: the same engine loop with 1 and with n XNNPACK threads, alternating.
    const n = Math.max(2, results.info.hardwareConcurrency);
    const steps = stepsFor('wasm');
    const runs = { 1: [], [n]: [] };
    for (let i = 0; i < repeat; i++) {
      for (const threads of [1, n]) {
        log(`wasm threads: ${threads}, ${steps} steps (run ${i + 1}/${repeat})…`);
        runs[threads].push(
          await page.evaluate((r) => window.bench.measure(r), {
            kind: 'engine',
            backend: 'wasm',
            steps,
            warmup: warmupFor('wasm'),
            threads,
          }),
        );
      }
    }
    results.threads = [1, n].map((threads) => ({
      asked: threads,
      got: runs[threads][0]?.threads ?? null,
      samplesPerSec: median(runs[threads].map((r) => r.samplesPerSec)),
      spread: spread(runs[threads].map((r) => r.samplesPerSec)),
      phasesMs: runs[threads][0]?.phasesMs ?? null,
    }));
    log(`  ${results.threads.map((t) => `asked ${t.asked}, got ${t.got} thread(s): ${fmt(t.samplesPerSec)} samples/s`).join(' · ')}`);
  }

  if (!quick || flag('agreement')) {
    for (const backend of backends) {
      log(`${backend}: one epoch on trainSize=6000…`);
      const r = await page.evaluate((req) => window.bench.measure(req), { kind: 'agreement', backend, trainSize: 6000 });
      results.agreement.push({ backend, valAccuracy: r.valAccuracy ?? null, error: r.error ?? null });
    }
    const accs = results.agreement.map((a) => a.valAccuracy).filter((a) => a !== null);
    log(
      `  validation accuracies: ${results.agreement.map((a) => `${a.backend} ${fmt(a.valAccuracy * 100, 2)}%`).join(', ')}; spread ${fmt((Math.max(...accs) - Math.min(...accs)) * 100, 2)} points`,
    );
  }

  if (!flag('no-recipe')) {
    const fastest = [...results.throughput]
      .filter((r) => r.engineSamplesPerSec)
      .sort((a, b) => b.engineSamplesPerSec - a.engineSamplesPerSec)[0];
    const backend = fastest?.backend ?? 'wasm';
    const epochs = quick ? 1 : 10;
    log(`recipe: ${epochs} epoch(s) on ${backend} through the app's worker, with predict round trips every 50 ms…`);
    // Peak JS heap over the page and its workers: browser-level CDP, Runtime.getHeapUsage per target.
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
      if (!sessions.has(targetId))
        sessions.set(targetId, (await cdp.send('Target.attachToTarget', { targetId, flatten: false })).sessionId);
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
    const r = await page.evaluate(([b, e]) => window.bench.recipe(b, e), [backend, epochs]);
    clearInterval(sampler);
    /** peakJsHeapBytes: V8 heap of the page and its workers; peakArrayBufferBytes: typed-array and WASM backing stores, where Chromium reports them. */
    results.recipe = {
      ...r,
      epochsRun: r.epochs.length,
      peakJsHeapBytes: peak || null,
      peakArrayBufferBytes: peakBacking || null,
      epochs: r.epochs,
    };
    log(
      `  ${fmt(r.wallMs / 1000, 1)} s, test accuracy ${fmt(r.testAccuracy * 100, 2)}%, data ready ${fmt(r.dataReadyMs)} ms, predict p50 ${fmt(r.predict.p50Ms, 1)} ms p95 ${fmt(r.predict.p95Ms, 1)} ms (n=${r.predict.count})${r.error ? ` error: ${r.error}` : ''}`,
    );
  }

  if (flag('investigate')) {
    // Why a naive loop is slower on real data than on random data of the same shape:
    // the same tf.train.adam loop with batches sliced from the real training tensor,
    // gathered from it, or generated at random per batch.
    const steps = quick ? 100 : 300;
    for (const batches of ['random', 'gather', 'slice']) {
      log(`naive tf.train.adam loop on wasm, batches by ${batches}, ${steps} steps…`);
      const r = await page.evaluate((req) => window.bench.measure(req), { kind: 'naive', backend: 'wasm', steps, warmup: 20, batches });
      results.investigation.push({
        loop: 'naive',
        backend: 'wasm',
        batches,
        samplesPerSec: r.samplesPerSec ?? null,
        subnormals: r.subnormals ?? null,
        error: r.error ?? null,
      });
      log(`  ${fmt(r.samplesPerSec)} samples/s${r.error ? ` error: ${r.error}` : ''}`);
    }
  }

  if (!flag('no-ui')) {
    // The real page: the full recipe (1 epoch with --quick) on the default backend while strokes are drawn.
    log(`ui: ${quick ? '1 epoch' : 'the full recipe'} in the page, drawing strokes while it trains…`);
    results.ui = await benchUi(browser, `http://127.0.0.1:${port}/`, {
      query: quick ? '?epochs=1' : '',
      strokes: quick ? 15 : 40,
      log: (m) => log(`  ${m}`),
    });
    const u = results.ui;
    log(
      `  long tasks (>50 ms) on the main thread while training: ${u.longTasks} (longest ${fmt(u.longTaskMaxMs)} ms); stroke → prediction p50 ${fmt(u.strokeLatencyP50Ms, 1)} ms, p95 ${fmt(u.strokeLatencyP95Ms, 1)} ms (n=${u.strokes})`,
    );
  }

  await browser.close();
  server.close();

  if (!flag('no-native') && !quick) {
    // Python only here, after the browser is closed so both have the machine to themselves.
    results.native = await benchNative({ log });
    if (results.native.skipped) log(`native: skipped (${results.native.skipped})`);
    else
      log(
        `  scikit-learn: ${fmt(results.native.fitSeconds, 1)} s fit, ${fmt(results.native.samplesPerSec)} samples/s, test accuracy ${fmt(results.native.testAccuracy * 100, 2)}%`,
      );
  }
  await writeFile(out, JSON.stringify(results, null, 2) + '\n');

  const range = (sp) => (sp ? ` (${fmt(sp[0])}–${fmt(sp[1])})` : '');
  log(`\nmedian of ${repeat} run(s), min–max in brackets; speed-up = median of each run's engine/model.fit ratio`);
  log(
    '| backend | engine samples/s | model.fit samples/s | speed-up | kernels/step | uploads/step | ms/step: batch · forward · backward · optimizer · reads |',
  );
  log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of results.throughput) {
    const p = r.phasesMs;
    const ph = p ? [p.batch, p.forward, p.backward, p.optimizer, p.reads].map((x) => fmt(x, 3)).join(' · ') : '—';
    log(
      `| ${r.backend} | ${fmt(r.engineSamplesPerSec)}${range(r.engineSpread)} | ${fmt(r.fitSamplesPerSec)}${range(r.fitSpread)} | ${fmt(r.speedup, 2)}x | ${fmt(r.kernelsPerStep, 1)} | ${fmt(r.uploadsPerStep, 1)} | ${ph} |`,
    );
  }
  if (results.threads)
    log(
      `\nWASM threads: ${results.threads.map((t) => `${t.asked} asked / ${t.got} running: ${fmt(t.samplesPerSec)}${range(t.spread)} samples/s`).join(' · ')}`,
    );
  if (results.agreement.length)
    log(
      `\n1 epoch, trainSize 6000, val accuracy: ${results.agreement.map((a) => `${a.backend} ${fmt(a.valAccuracy * 100, 2)}%`).join(' · ')}`,
    );
  if (results.recipe) {
    const r = results.recipe;
    log(`\nrecipe on ${r.backend} (${r.epochsRun} epochs): ${fmt(r.wallMs / 1000, 1)} s, test accuracy ${fmt(r.testAccuracy * 100, 2)}%`);
    log(
      `data ready ${fmt(r.dataReadyMs)} ms · predict while training p50 ${fmt(r.predict.p50Ms, 1)} ms, p95 ${fmt(r.predict.p95Ms, 1)} ms · peak JS heap ${fmt((r.peakJsHeapBytes ?? NaN) / 2 ** 20, 1)} MiB (+ ${fmt((r.peakArrayBufferBytes ?? NaN) / 2 ** 20, 0)} MiB array buffers)`,
    );
  }
  if (results.ui.longTasks !== undefined) {
    const u = results.ui;
    log(
      `\npage (${u.backend}, ${fmt(u.trainingMs / 1000, 1)} s to done, test accuracy ${fmt(u.testAccuracy * 100, 2)}%): main-thread long tasks ${u.longTasks} · stroke → prediction p50 ${fmt(u.strokeLatencyP50Ms, 1)} ms, p95 ${fmt(u.strokeLatencyP95Ms, 1)} ms`,
    );
  }
  const pageS = results.ui.trainingMs ? results.ui.trainingMs / 1000 : null;
  const workerS = results.recipe?.wallMs ? results.recipe.wallMs / 1000 : null;
  if (pageS && workerS)
    log(`\npage / worker-only recipe time: ${fmt(pageS, 1)} s / ${fmt(workerS, 1)} s = ${fmt(pageS / workerS, 2)} (target ≤ 1.10)`);
  if (results.native?.skipped) log(`native column skipped: ${results.native.skipped}`);
  else if (results.native) {
    const n = results.native;
    log(
      `native (scikit-learn ${n.sklearn}, ${n.blas?.[0]?.internal_api ?? '?'} ${n.blas?.[0]?.architecture ?? ''} x${n.blas?.[0]?.num_threads ?? '?'}): ${fmt(n.fitSeconds, 1)} s fit, test accuracy ${fmt(n.testAccuracy * 100, 2)}%`,
    );
    if (pageS)
      log(`page time / native time: ${fmt(pageS / n.fitSeconds, 2)} (native / page ${fmt(n.fitSeconds / pageS, 2)}, target ≥ 0.80)`);
    if (workerS) log(`worker-only time / native time: ${fmt(workerS / n.fitSeconds, 2)}`);
  }
  if (results.investigation.length)
    log(
      `\nnaive loop on wasm by batch source: ${results.investigation.map((r) => `${r.batches} ${fmt(r.samplesPerSec)}`).join(' · ')} samples/s`,
    );
  log(`\nwrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
