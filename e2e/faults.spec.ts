/**
 * Faults that must be survived, end to end: a training worker that crashes or
 * dies silently mid-run, a lost WebGL context mid-run, and a worker script that
 * cannot be downloaded on the first load. Each time the page says what
 * happened and what was lost, and goes on: the pad reads digits, Train trains.
 */
import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';
import { DEFAULT_CONFIG } from '../src/shared/trainConfig';

/** Collects uncaught page errors; each test fails on any. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** The pad reads a drawn digit: a digit shown and ten probabilities that sum to 1. */
async function padReads(app: AppPage): Promise<void> {
  await app.clearButton.click();
  await drawDigit(app.page, app.canvas, 3);
  await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
  // Each shown probability is rounded: their sum is 1 to within a few thousandths.
  expect((await app.probabilities()).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
}

/** Trains until the progress line shows steps, so the fault lands mid-run. */
async function trainUntilSteps(app: AppPage): Promise<void> {
  await app.trainButton.click();
  await app.expectState('training');
  const progress = app.page.getByTestId('progress-line');
  await expect.poll(async () => Number(await progress.getAttribute('data-step'))).toBeGreaterThan(0);
}

test.describe('a training worker that dies mid-run', () => {
  test('dying silently (no error event): noticed within seconds, restarted, the loss said, the pad reads again', async ({ page }) => {
    const errors = watchErrors(page);
    const app = new AppPage(page);
    await app.goto({ debug: 1, trainSize: 48000, epochs: 3, backend: 'wasm' });
    await app.expectState('ready');
    await trainUntilSteps(app);
    const t0 = Date.now();
    void app.send({ type: 'simulateSilentExit' });
    // The liveness check (a ping unanswered for 6 s) notices; the page says it in words.
    await app.expectState('error', 15_000);
    const noticedMs = Date.now() - t0;
    await expect(app.errorMessage).toHaveAttribute('data-code', 'crash');
    await expect(app.errorMessage).toContainText(/stopped answering/);
    await expect(app.errorMessage).toContainText(/Lost: the training run under way/);
    await expect(app.errorMessage).toContainText(/Saved models and your digits are kept/);
    test.info().annotations.push({ type: 'silent death noticed after', description: `${noticedMs} ms` });
    // The fresh worker loads the data and the shipped model: the pad reads, even before the message is dismissed.
    await expect(app.modelDescription).toContainText('pre-trained');
    await padReads(app);
    await app.dismissErrorButton.click();
    await app.expectState('ready');
    expect(errors).toEqual([]);
  });

  test('crashing: restarted, the run reported lost, the pad reads again and Train trains', async ({ page }) => {
    const errors = watchErrors(page);
    const app = new AppPage(page);
    await app.goto({ debug: 1, trainSize: 48000, epochs: 3, backend: 'wasm' });
    await app.expectState('ready');
    await trainUntilSteps(app);
    void app.send({ type: 'simulateCrash' });
    await app.expectState('error');
    await expect(app.errorMessage).toHaveAttribute('data-code', 'crash');
    await expect(app.errorMessage).toContainText(/It was restarted/);
    await expect(app.errorMessage).toContainText(/Lost: the training run under way/);
    await expect(app.modelDescription).toContainText('pre-trained');
    await padReads(app);
    await app.dismissErrorButton.click();
    await app.goto({ debug: 1, trainSize: 600, epochs: 1, backend: 'wasm' });
    await app.expectState('ready');
    await app.trainButton.click();
    await app.expectState('done', 60_000);
    expect(errors).toEqual([]);
  });
});

test('a lost WebGL context mid-run: a clear message, the last good weights kept, and WASM really continues', async ({ page }) => {
  const errors = watchErrors(page);
  const app = new AppPage(page);
  await app.goto({ debug: 1, backend: 'webgl', trainSize: 6000, epochs: 4 });
  await app.expectState('ready');
  await app.trainButton.click();
  await app.expectState('training');
  await expect(app.backendName).toHaveText('WebGL');
  // Lost once the first epoch's weights are kept on the host (the worker copies them as each epoch ends).
  const kept = async () => ((await app.send({ type: 'ping' })) as { kept: string | null }).kept;
  await expect.poll(kept, { timeout: 60_000 }).toMatch(/^after epoch \d$/);
  await app.send({ type: 'simulateContextLoss' });
  await app.expectState('error');
  await expect(app.errorMessage).toHaveAttribute('data-code', 'context-lost');
  await expect(app.errorMessage).toContainText(/WebGL context was lost/);
  await expect(app.errorMessage).toContainText(/The weights after epoch \d are kept and move to WASM/);
  // The worker moved by itself: the pad reads with the kept weights on WASM.
  await expect(app.backendName).toHaveText('WASM');
  await expect(app.modelDescription).toContainText(/after epoch \d, kept when the WebGL context was lost/);
  await padReads(app);
  // They are the trained weights, not random ones nor the shipped model: far above chance, below the shipped 96.7%.
  const report = (await app.send({ type: 'evaluate' })) as { testAccuracy: number };
  expect(report.testAccuracy).toBeGreaterThan(0.6);
  expect(report.testAccuracy).toBeLessThan(0.96);
  // "Use the WASM backend", then Train: it trains, on WASM.
  await page.getByRole('button', { name: 'Use the WASM backend' }).click();
  await expect(app.backendSelect).toHaveValue('wasm');
  await expect(app.status).not.toHaveAttribute('data-state', 'error');
  await app.trainButton.click();
  await app.expectState('training');
  await app.expectState('done', 90_000);
  await expect(app.backendName).toHaveText('WASM');
  await expect(app.testAccuracy).toHaveAttribute('data-value', /0\.\d+/);
  await padReads(app);
  // WebGL stays off in this worker: asking for it says why instead of training on a dead context.
  const refused = (await app.send({ type: 'train', config: { ...DEFAULT_CONFIG, trainSize: 600, epochs: 1, backend: 'webgl' } })) as {
    error?: { code: string; message: string };
  };
  expect(refused.error).toMatchObject({
    code: 'backend',
    message: expect.stringMatching(/WebGL backend could not start: its context was lost/),
  });
  expect(errors).toEqual([]);
});

test('a lost WebGL context before any epoch ended: nothing of the run to keep, the shipped model reads on WASM', async ({ page }) => {
  const errors = watchErrors(page);
  const app = new AppPage(page);
  await app.goto({ debug: 1, backend: 'webgl', trainSize: 48000, epochs: 1 });
  await app.expectState('ready');
  await trainUntilSteps(app);
  await app.send({ type: 'simulateContextLoss' });
  await app.expectState('error');
  await expect(app.errorMessage).toHaveAttribute('data-code', 'context-lost');
  await expect(app.errorMessage).toContainText(/No weights of this run could be kept; the pre-trained model reads the pad on WASM/);
  await expect(app.backendName).toHaveText('WASM');
  await expect(app.modelDescription).toContainText('pre-trained');
  await padReads(app);
  expect(errors).toEqual([]);
});

test('the worker script failing to download on the first load is a network problem with Retry, never a crash', async ({ page }) => {
  const errors = watchErrors(page);
  const app = new AppPage(page);
  // The network goes as the page starts its worker: the script (and the client's check of it) fail.
  const offline = (route: import('@playwright/test').Route) => route.abort('internetdisconnected');
  await page.route(/trainer\.worker-[\w-]+\.js/, offline);
  await app.goto({ trainSize: 600, epochs: 1 });
  await app.expectState('error');
  await expect(app.errorMessage).toHaveAttribute('data-code', 'network');
  await expect(app.errorMessage).toContainText('No network connection');
  await expect(app.errorMessage).toContainText(/could not be downloaded: the network seems to be down/);
  await expect(app.errorMessage).not.toContainText(/crash/i);
  await expect(app.retryButton).toHaveText('Retry');
  // It keeps trying by itself, and still says network, not crash.
  await expect.poll(async () => app.errorMessage.getAttribute('data-code'), { timeout: 10_000 }).toBe('network');
  // Back online: Retry starts the worker; the data and the shipped model load, the message goes.
  await page.unroute(/trainer\.worker-[\w-]+\.js/, offline);
  await app.retryButton.click();
  await app.expectState('ready');
  await expect(app.errorMessage).toHaveCount(0);
  await expect(app.modelDescription).toContainText('pre-trained');
  await padReads(app);
  expect(errors).toEqual([]);
});

test('the network back while the page waits: the worker starts by itself and the message goes', async ({ page }) => {
  const app = new AppPage(page);
  const offline = (route: import('@playwright/test').Route) => route.abort('internetdisconnected');
  await page.route(/trainer\.worker-[\w-]+\.js/, offline);
  await app.goto({ trainSize: 600, epochs: 1 });
  await expect(app.errorMessage).toHaveAttribute('data-code', 'network');
  await page.unroute(/trainer\.worker-[\w-]+\.js/, offline);
  // No click: the client's own retry (1 s, 2 s, 5 s, 10 s apart) starts it.
  await app.expectState('ready', 30_000);
  await expect(app.errorMessage).toHaveCount(0);
});
