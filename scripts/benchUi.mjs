/* global window */
// UI figures for `npm run bench`: main-thread long tasks while the full recipe
// trains, and the latency from the last pointer event of a stroke to the
// updated prediction on screen. Drives the real page through Playwright.

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

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {string} baseUrl the served app, ending with '/'
 * @param {{ query?: string, strokes?: number, log?: (s: string) => void }} [opts]
 * @returns {Promise<{ longTasks: number, longTaskMaxMs: number, trainingMs: number, testAccuracy: number, strokeLatencyP50Ms: number, strokeLatencyP95Ms: number, strokes: number, backend: string }>}
 */
export async function benchUi(browser, baseUrl, opts = {}) {
  const log = opts.log ?? (() => {});
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => {
    /** @type {any} */ (window).__bench = { longTasks: [], marks: [], pointerUps: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'prediction-rendered') window.__bench.marks.push(e.startTime);
    }).observe({ type: 'mark', buffered: true });
    // Only the end of a stroke on the drawing canvas (not clicks on buttons).
    window.addEventListener(
      'pointerup',
      (e) => e.target?.dataset?.testid === 'draw-canvas' && window.__bench.pointerUps.push(e.timeStamp),
      true,
    );
  });
  await page.goto(`${baseUrl}${opts.query ?? ''}`);
  await page.locator('[data-testid=app-status][data-state=ready]').waitFor({ timeout: 120_000 });
  const canvas = page.getByTestId('draw-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId('train-button').click();
  await page.locator('[data-testid=app-status][data-state=training]').waitFor({ timeout: 60_000 });
  log('training started; drawing strokes while it runs');

  const box = await canvas.boundingBox();
  if (!box) throw new Error('draw-canvas is not visible');
  const wanted = opts.strokes ?? 40;
  let drawn = 0;
  while (drawn < wanted && (await page.getByTestId('app-status').getAttribute('data-state')) === 'training') {
    if (drawn % STROKES.length === 0) await page.getByTestId('clear-button').click();
    const stroke = STROKES[drawn % STROKES.length];
    const [sx, sy] = stroke[0];
    await page.mouse.move(box.x + sx * box.width, box.y + sy * box.height);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 8 });
    await page.mouse.up();
    drawn++;
    await page.waitForTimeout(250); // a person's pause between strokes
  }
  log(`${drawn} strokes drawn; waiting for the run to finish`);
  await page.locator('[data-testid=app-status][data-state=done]').waitFor({ timeout: 20 * 60_000 });
  const t1 = await page.evaluate(() => performance.now());
  const testAccuracy = Number(await page.getByTestId('test-accuracy').getAttribute('data-value'));
  const backend = (await page.getByTestId('backend-name').textContent()) ?? '?';
  const b = await page.evaluate(() => window.__bench);
  await page.close();

  const during = b.longTasks.filter((t) => t.start >= t0 && t.start <= t1);
  const latencies = [];
  for (const up of b.pointerUps) {
    const next = b.marks.find((m) => m >= up);
    if (next !== undefined) latencies.push(next - up);
  }
  latencies.sort((x, y) => x - y);
  return {
    longTasks: during.length,
    longTaskMaxMs: during.reduce((m, t) => Math.max(m, t.duration), 0),
    /** When each long task started, ms after Train was pressed, and how long it took. */
    longTaskAt: during.map((t) => ({ atMs: Math.round(t.start - t0), durationMs: Math.round(t.duration) })),
    trainingMs: t1 - t0,
    testAccuracy,
    strokeLatencyP50Ms: percentile(latencies, 50),
    strokeLatencyP95Ms: percentile(latencies, 95),
    strokes: latencies.length,
    backend,
  };
}
