import { expect, test } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';

/** A run small enough for SwiftShader: 600 training images, one epoch, on WebGL. */
const TINY = { trainSize: 600, epochs: 1, backend: 'webgl' };

test.describe('training in the page', () => {
  test('trains a tiny run on WebGL: curves fill while it runs, then done with a test accuracy', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ ...TINY, batchSize: 16 });
    await app.expectState('ready');
    await app.trainButton.click();
    await app.expectState('training');
    await expect(app.backendName).toHaveText('WebGL');
    await expect.poll(async () => Number(await app.curves.getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(0);
    await app.expectState('done', 90_000);
    const acc = Number(await app.testAccuracy.getAttribute('data-value'));
    // 600 images, one epoch: far above chance (10%), far from perfect.
    expect(acc).toBeGreaterThan(0.4);
    expect(acc).toBeLessThan(1);
    await expect(app.curves).toHaveAttribute('data-epochs', '1');
  });

  test('pause, resume and stop', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ trainSize: 12000, epochs: 10, backend: 'wasm', debug: 1 });
    await app.expectState('ready');
    await app.trainButton.click();
    await app.expectState('training');
    const progress = page.getByTestId('progress-line');
    await expect.poll(async () => Number(await progress.getAttribute('data-step'))).toBeGreaterThan(0);
    await app.pauseButton.click();
    await app.expectState('paused');
    await expect(app.pauseButton).toHaveText('Resume');
    // Events sent before the pause arrive before the 'paused' phase: from here the step must stand still.
    // No sleep: the worker's own clock (its answers to pings) shows it lived on, paused, for a while
    // longer than many batch events (one per 50 ms when running), and the step did not move.
    const step = await progress.getAttribute('data-step');
    const workerTime = async () => ((await app.send({ type: 'ping' })) as { time: number; phase: string }).time;
    const pausedAt = await workerTime();
    await expect.poll(async () => (await workerTime()) - pausedAt).toBeGreaterThan(700);
    expect(((await app.send({ type: 'ping' })) as { phase: string }).phase).toBe('paused');
    await expect(progress).toHaveAttribute('data-step', step!);
    await app.pauseButton.click();
    await app.expectState('training');
    await expect.poll(async () => Number(await progress.getAttribute('data-step'))).toBeGreaterThan(Number(step));
    await app.stopButton.click();
    await app.expectState('done');
    await expect(app.testAccuracy).toHaveAttribute('data-value', /0\.\d+/);
  });

  test('draw a digit: the prediction and the probabilities change; clear empties it', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ ...TINY, backend: 'wasm', trainSize: 3000 });
    await app.expectState('ready');
    await app.trainButton.click();
    await app.expectState('done', 90_000);
    await drawDigit(page, app.canvas, 1);
    await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
    const p1 = await app.probabilities();
    expect(p1.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    await app.clearButton.click();
    await expect(app.predictedDigit).toHaveText('');
    await drawDigit(page, app.canvas, 0);
    await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
    await expect.poll(async () => (await app.probabilities()).some((p, i) => Math.abs(p - p1[i]!) > 0.01)).toBe(true);
    await app.clearButton.click();
    await expect(app.predictedDigit).toHaveText('');
    for (const p of await app.probabilities()) expect(p).toBe(0);
  });

  test('NaN loss stops training with advice to lower the learning rate', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ trainSize: 600, epochs: 3, backend: 'wasm', optimizer: 'sgd', learningRate: 10 });
    await app.expectState('ready');
    await app.trainButton.click();
    await app.expectState('error', 60_000);
    await expect(app.errorMessage).toHaveAttribute('data-code', 'nan');
    await expect(app.errorMessage).toContainText(/learning rate/i);
    await page.getByTestId('lower-lr-button').click();
    await expect(page.getByTestId('param-learningRate')).toHaveValue('1');
    await expect(app.status).not.toHaveAttribute('data-state', 'error');
    await expect(app.trainButton).toBeEnabled();
  });
});

// A lost WebGL context and a crashed or silent worker: e2e/faults.spec.ts.
