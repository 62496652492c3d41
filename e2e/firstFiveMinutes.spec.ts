import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';

/**
 * The first five minutes as a newcomer meets them: the loop (draw, read the answer, train)
 * in one glance on a phone and a laptop, and a page that does not jump while it loads.
 */

/** Sums layout shifts (without recent input) from the first paint on; read from window.__cls. */
function recordLayoutShifts(page: Page) {
  return page.addInitScript(() => {
    const w = window as unknown as { __cls: number; __shifts: { value: number; sources: string[] }[] };
    w.__cls = 0;
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: { node?: Node | null }[] }[]) {
        if (e.hadRecentInput) continue;
        w.__cls += e.value;
        const sources = (e.sources ?? []).map((s) => {
          const el = s.node instanceof Element ? s.node : s.node?.parentElement;
          return el ? `${el.tagName.toLowerCase()}.${el.className}` : '?';
        });
        w.__shifts.push({ value: e.value, sources });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** Loads the page and waits until it has settled: data, model, backend, lazy views, network quiet. */
async function loadAndSettle(page: Page): Promise<AppPage> {
  const app = new AppPage(page);
  await app.goto();
  await app.expectState('ready');
  await expect(page.getByTestId('model-description')).toContainText('pre-trained');
  await expect(app.backendName).toBeAttached();
  await expect(app.curves).toBeAttached();
  await expect(page.getByTestId('test-report')).toBeAttached();
  await page.waitForLoadState('networkidle');
  return app;
}

test.describe('on a phone (390x844, touch)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('with the pad on screen, its answer and Train are on screen too; the sample strip is one row', async ({ page }) => {
    const app = await loadAndSettle(page);
    const strip = page.getByTestId('sample-strip');
    const rowHeight = (await strip.locator('li').first().boundingBox())!.height;
    expect((await strip.boundingBox())!.height).toBeLessThan(rowHeight * 1.5);

    await app.canvas.scrollIntoViewIfNeeded();
    await drawDigit(page, app.canvas, 7);
    await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
    await expect(app.canvas).toBeInViewport({ ratio: 1 });
    await expect(app.predictedDigit).toBeInViewport({ ratio: 1 });
    await expect(page.getByTestId('prediction-verdict')).toBeInViewport();
    await expect(app.trainButton).toBeInViewport({ ratio: 1 });
    await expect(app.pauseButton).toBeInViewport({ ratio: 1 });
    await expect(app.stopButton).toBeInViewport({ ratio: 1 });

    // Scrolled so the pad sits at the very top or the very bottom of the screen: still both.
    for (const block of ['start', 'end'] as const) {
      await app.canvas.evaluate((c, b) => c.scrollIntoView({ block: b }), block);
      await expect(app.predictedDigit).toBeInViewport({ ratio: 1 });
      await expect(app.trainButton).toBeInViewport({ ratio: 1 });
    }
  });
});

test.describe('on a laptop (1280x800)', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('first load: Train, the whole pad, the predicted digit and all ten bars without scrolling', async ({ page }) => {
    const app = await loadAndSettle(page);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await expect(page.getByTestId('intro')).toBeVisible();
    await expect(app.trainButton).toBeInViewport({ ratio: 1 });
    await expect(app.canvas).toBeInViewport({ ratio: 1 });
    await expect(page.locator('.prediction-answer')).toBeInViewport({ ratio: 1 });
    for (let d = 0; d < 10; d++) await expect(page.getByTestId(`probability-${d}`)).toBeInViewport({ ratio: 1 });
    await drawDigit(page, app.canvas, 3);
    await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await expect(app.predictedDigit).toBeInViewport({ ratio: 1 });
  });
});

for (const [width, height] of [
  [1440, 900],
  [1280, 800],
  [768, 1024],
  [390, 844],
] as const) {
  test(`no layout shift while loading at ${width}x${height} (CLS < 0.05)`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await recordLayoutShifts(page);
    await loadAndSettle(page);
    const { cls, shifts } = await page.evaluate(() => {
      const w = window as unknown as { __cls: number; __shifts: unknown[] };
      return { cls: w.__cls, shifts: w.__shifts };
    });
    test.info().annotations.push({ type: 'cls', description: `${width}x${height}: ${cls.toFixed(4)} ${JSON.stringify(shifts)}` });
    expect(cls).toBeLessThan(0.05);
  });
}

test('the intro can be closed, and stays closed on the next visit', async ({ page }) => {
  const app = new AppPage(page);
  await app.goto();
  await expect(page.getByTestId('intro')).toBeVisible();
  await page.getByTestId('intro-dismiss').click();
  await expect(page.getByTestId('intro')).toHaveCount(0);
  await page.reload();
  await app.expectState('ready');
  await expect(page.getByTestId('intro')).toHaveCount(0);
});
