#!/usr/bin/env node
/* global window -- page.evaluate and addInitScript callbacks run in the browser */
// UI figures for `npm run bench` (and on their own): what the page costs while the recipe trains
// in its worker. Drives the real page through Playwright and reports, from Train to done:
//   - main-thread long tasks (> 50 ms): count, longest, when;
//   - main-thread busy time (CDP Performance.getMetrics TaskDuration: every task the page's main
//     thread ran, React, layout and paint included) and its share of the wall time;
//   - stroke → prediction on screen while training (last pointer event of a stroke to the
//     `prediction-rendered` mark), p50 and p95;
//   - the page's time to done (compare with the worker-only recipe).
// With --soak (or opts.soak): a long run (default ?trainSize=600&epochs=200) with the JS heap
// after a forced GC at the start, the middle and the end, long tasks per quarter of the run, and
// click → next paint latency (Event Timing) while idle and in each quarter.
//
//   node scripts/benchUi.mjs [--dist dist] [--port 4203] [--query '?epochs=1'] [--strokes 40] [--soak] [--out file.json]
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Stroke shapes in unit coordinates (0..1 of the canvas), a few digits' worth. */
const STROKES = [
  [
    [0.3, 0.25],
    [0.7, 0.25],
    [0.45, 0.8],
  ], // 7
  [
    [0.5, 0.2],
    [0.5, 0.8],
  ], // 1
  [
    [0.5, 0.2],
    [0.3, 0.5],
    [0.5, 0.8],
    [0.7, 0.5],
    [0.5, 0.2],
  ], // 0
];

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const sortedNums = (xs) => [...xs].sort((a, b) => a - b);

/** Records long tasks, prediction marks, stroke ends and click → paint latencies in window.__bench. */
function instrument() {
  window.__bench = { longTasks: [], marks: [], pointerUps: [], clicks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'prediction-rendered') window.__bench.marks.push(e.startTime);
  }).observe({ type: 'mark', buffered: true });
  // Click → next paint (Event Timing): what a person feels as the page's answer to a click.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'click') window.__bench.clicks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  // Only the end of a stroke on the drawing canvas (not clicks on buttons).
  window.addEventListener(
    'pointerup',
    (e) => e.target?.dataset?.testid === 'draw-canvas' && window.__bench.pointerUps.push(e.timeStamp),
    true,
  );
}

/** Main-thread task time so far, ms, and the JS heap, bytes (CDP Performance domain). */
async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const get = (name) => list.find((m) => m.name === name)?.value ?? NaN;
  return {
    taskMs: get('TaskDuration') * 1000,
    scriptMs: get('ScriptDuration') * 1000,
    layoutMs: get('LayoutDuration') * 1000,
    heap: get('JSHeapUsedSize'),
  };
}

/** The page's JS heap after a full GC, bytes. */
async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await metrics(cdp)).heap;
}

const state = (page) => page.getByTestId('app-status').getAttribute('data-state');

/** Clicks the backend details line open or shut (a real UI action, in every version of the page) and waits a little. */
async function clickProbe(page) {
  await page.locator('.backend-details summary').click();
  await page.waitForTimeout(150);
}

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {string} baseUrl the served app, ending with '/'
 * @param {{ query?: string, strokes?: number, soak?: boolean, log?: (s: string) => void }} [opts]
 */
export async function benchUi(browser, baseUrl, opts = {}) {
  const log = opts.log ?? (() => {});
  const soak = !!opts.soak;
  const query = opts.query ?? (soak ? '?trainSize=600&epochs=200' : '');
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  await page.addInitScript(instrument);
  await page.goto(`${baseUrl}${query}`);
  await page.locator('[data-testid=app-status][data-state=ready]').waitFor({ timeout: 120_000 });
  const canvas = page.getByTestId('draw-canvas');
  await canvas.scrollIntoViewIfNeeded();

  // Idle click latency, for comparison with clicks while training.
  let idleClicks = [];
  if (soak) {
    const before = await page.evaluate(() => window.__bench.clicks.length);
    for (let i = 0; i < 6; i++) await clickProbe(page);
    idleClicks = (await page.evaluate(() => window.__bench.clicks)).slice(before).map((c) => c.duration);
  }

  const heap0 = soak ? await heapAfterGc(cdp) : null;
  const m0 = await metrics(cdp);
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId('train-button').click();
  await page.locator('[data-testid=app-status][data-state=training]').waitFor({ timeout: 60_000 });
  log(soak ? 'soak: training started; clicking now and then while it runs' : 'training started; drawing strokes while it runs');

  const box = await canvas.boundingBox();
  if (!box) throw new Error('draw-canvas is not visible');
  const wanted = opts.strokes ?? (soak ? 0 : 40);
  let drawn = 0;
  const heapSamples = [];
  let lastHeapAt = 0;
  while ((await state(page)) === 'training') {
    if (drawn < wanted) {
      if (drawn % STROKES.length === 0) await page.getByTestId('clear-button').click();
      const stroke = STROKES[drawn % STROKES.length];
      const [sx, sy] = stroke[0];
      await page.mouse.move(box.x + sx * box.width, box.y + sy * box.height);
      await page.mouse.down();
      for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 8 });
      await page.mouse.up();
      drawn++;
      await page.waitForTimeout(250); // a person's pause between strokes
    } else if (soak) {
      await clickProbe(page);
      const now = await page.evaluate(() => performance.now());
      if (now - lastHeapAt > 15_000) {
        lastHeapAt = now;
        const epochs = Number(await page.getByTestId('curves').getAttribute('data-epochs'));
        heapSamples.push({ atMs: Math.round(now - t0), epochs, heap: await heapAfterGc(cdp) });
      }
      await page.waitForTimeout(1000);
    } else {
      await page.waitForTimeout(250);
    }
  }
  log(`${drawn} strokes drawn; waiting for the run to finish`);
  await page.locator('[data-testid=app-status][data-state=done]').waitFor({ timeout: 60 * 60_000 });
  const t1 = await page.evaluate(() => performance.now());
  const m1 = await metrics(cdp);
  const heapEnd = soak ? await heapAfterGc(cdp) : null;
  const testAccuracy = Number(await page.getByTestId('test-accuracy').getAttribute('data-value'));
  const backend = (await page.getByTestId('backend-name').textContent()) ?? '?';
  const b = await page.evaluate(() => window.__bench);
  await page.close();

  const trainingMs = t1 - t0;
  const during = b.longTasks.filter((t) => t.start >= t0 && t.start <= t1);
  const latencies = [];
  for (const up of b.pointerUps) {
    const next = b.marks.find((m) => m >= up);
    if (next !== undefined) latencies.push(next - up);
  }
  const sortedLatencies = sortedNums(latencies);
  const busyMs = m1.taskMs - m0.taskMs;
  const result = {
    longTasks: during.length,
    longTaskMaxMs: during.reduce((m, t) => Math.max(m, t.duration), 0),
    longTaskTotalMs: during.reduce((s, t) => s + t.duration, 0),
    /** When each long task started, ms after Train was pressed, and how long it took. */
    longTaskAt: during.map((t) => ({ atMs: Math.round(t.start - t0), durationMs: Math.round(t.duration) })),
    trainingMs,
    /** Main-thread task time from Train to done, ms, and as a share of the wall time (1 = one core). */
    mainThreadBusyMs: busyMs,
    mainThreadBusyShare: busyMs / trainingMs,
    scriptMs: m1.scriptMs - m0.scriptMs,
    layoutMs: m1.layoutMs - m0.layoutMs,
    testAccuracy,
    strokeLatencyP50Ms: percentile(sortedLatencies, 50),
    strokeLatencyP95Ms: percentile(sortedLatencies, 95),
    strokes: latencies.length,
    backend,
    query,
  };
  if (!soak) return result;

  // Per quarter of the run: long tasks and click latencies, to see whether they grow with the epochs.
  const quarters = [0, 1, 2, 3].map((q) => {
    const from = t0 + (q * trainingMs) / 4;
    const to = t0 + ((q + 1) * trainingMs) / 4;
    const tasks = during.filter((t) => t.start >= from && t.start < to);
    const clicks = sortedNums(b.clicks.filter((c) => c.start >= from && c.start < to).map((c) => c.duration));
    return {
      quarter: q + 1,
      longTasks: tasks.length,
      longTaskMaxMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
      clicks: clicks.length,
      clickP50Ms: percentile(clicks, 50),
      clickMaxMs: clicks.at(-1) ?? NaN,
    };
  });
  const idle = sortedNums(idleClicks);
  return {
    ...result,
    soak: {
      heapStartBytes: heap0,
      heapEndBytes: heapEnd,
      heapSamples,
      heapMaxBytes: Math.max(heap0, heapEnd, ...heapSamples.map((s) => s.heap)),
      idleClickP50Ms: percentile(idle, 50),
      idleClickMaxMs: idle.at(-1) ?? NaN,
      quarters,
    },
  };
}

/** Prints the figures in a few lines. */
export function describeUi(u) {
  const f = (n, d = 0) => (Number.isFinite(n) ? Number(n).toFixed(d) : '—');
  const lines = [
    `page (${u.backend}${u.query ? `, ${u.query}` : ''}): ${f(u.trainingMs / 1000, 1)} s to done, test accuracy ${f(u.testAccuracy * 100, 2)}%`,
    `  main thread from Train to done: busy ${f(u.mainThreadBusyMs)} ms (${f(u.mainThreadBusyShare * 100, 1)}% of one core; script ${f(u.scriptMs)} ms, layout ${f(u.layoutMs)} ms); long tasks ${u.longTasks} (longest ${f(u.longTaskMaxMs)} ms, ${f(u.longTaskTotalMs)} ms in all)`,
    `  stroke → prediction while training: p50 ${f(u.strokeLatencyP50Ms, 1)} ms, p95 ${f(u.strokeLatencyP95Ms, 1)} ms (n=${u.strokes})`,
  ];
  if (u.soak) {
    const s = u.soak;
    const mb = (x) => f(x / 2 ** 20, 1);
    lines.push(
      `  soak: JS heap after GC ${mb(s.heapStartBytes)} MiB at Train → ${mb(s.heapEndBytes)} MiB at done (max ${mb(s.heapMaxBytes)} MiB; ${s.heapSamples.map((h) => `${mb(h.heap)} @ epoch ${h.epochs}`).join(', ')})`,
      `  soak: click → paint idle p50 ${f(s.idleClickP50Ms)} ms (max ${f(s.idleClickMaxMs)}); per quarter of the run: ${s.quarters.map((q) => `Q${q.quarter} ${q.longTasks} long tasks, clicks p50 ${f(q.clickP50Ms)} max ${f(q.clickMaxMs)} ms (n=${q.clicks})`).join(' · ')}`,
    );
  }
  return lines.join('\n');
}

// On its own: serve a built app and measure.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
  const { chromium } = await import('@playwright/test');
  const { browserPath } = await import('./findBrowser.mjs');
  const { serveDist } = await import('./serveDist.mjs');
  const port = Number(option('port', 4203));
  const server = await serveDist(resolve(option('dist', 'dist')), port);
  const browser = await chromium.launch({
    executablePath: browserPath(),
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--enable-unsafe-swiftshader'],
  });
  try {
    const soak = args.includes('--soak');
    const u = await benchUi(browser, `http://127.0.0.1:${port}/`, {
      query: option('query', undefined),
      strokes: option('strokes', undefined) === undefined ? undefined : Number(option('strokes')),
      soak,
      log: (m) => console.log(`  ${m}`),
    });
    console.log(describeUi(u));
    const out = option('out', null);
    if (out) await writeFile(out, JSON.stringify(u, null, 2) + '\n');
  } finally {
    await browser.close();
    server.close();
  }
}
