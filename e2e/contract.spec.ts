/**
 * The contract between page and worker, as a person meets it: ordinary clicks in
 * any order never put the page into its error state; what cannot apply is
 * disabled with a reason or refused in words; results belong to the current model.
 */
import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit, type Digit } from './drawing';
import { mulberry32 } from '../src/worker/split';

/** A run of a second or two on WASM. */
const TINY = { trainSize: 600, epochs: 1, backend: 'wasm' };

/** Collects uncaught page errors; the test fails on any. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** The page is not in its error state now (read at once: this is not a wait). */
async function notError(app: AppPage): Promise<void> {
  expect(await app.status.getAttribute('data-state')).not.toBe('error');
}

/** Sends a raw request through the ?debug hook, as a click racing the UI could; resolves with the reply value or {error}. */
function rawRequest(page: Page, req: Record<string, unknown>): Promise<unknown> {
  return page.evaluate((r) => (window as unknown as { __playground: { send(r: unknown): Promise<unknown> } }).__playground.send(r), req);
}

test.describe('one contract between page and worker', () => {
  test('Train pressed the moment the page is ready runs to the end, never the error state', async ({ page }) => {
    const errors = watchErrors(page);
    const app = new AppPage(page);
    await app.goto(TINY);
    await expect(app.trainButton).toBeEnabled();
    await app.trainButton.click();
    await app.expectState('done', 60_000);
    await expect(app.testAccuracy).toHaveAttribute('data-value', /0\.\d+/);
    expect(errors).toEqual([]);
  });

  test('while training, loading a model is disabled with a reason, and a raced request is refused in words', async ({ page }) => {
    const errors = watchErrors(page);
    const app = new AppPage(page);
    // 48,000 images: the first epoch lasts long enough to pause in it; the checks run while paused.
    await app.goto({ trainSize: 48000, epochs: 3, backend: 'wasm', debug: 1 });
    await app.expectState('ready');
    await app.trainButton.click();
    await app.expectState('training');
    await app.pauseButton.click();
    await app.expectState('paused');
    const load = page.getByTestId('load-bundled-button');
    await expect(load).toBeDisabled();
    await expect(load).toHaveAttribute('title', 'Stop training to load a model.');
    await expect(page.getByTestId('evaluate-button')).toHaveCount(0);
    // A request racing the disabled button is refused by the worker in the button's own words.
    const reply = await rawRequest(page, { type: 'loadBundledModel' });
    expect(reply).toEqual({ error: { code: 'refused', key: 'stopToLoad', message: await load.getAttribute('title') } });
    await notError(app);
    await expect(app.stopButton).toBeEnabled();
    await app.stopButton.click();
    await app.expectState('done');
    // A run stopped in its first epoch says where it stopped.
    await expect(page.getByTestId('run-note')).toContainText(/stopped in epoch 1 at step [\d,]+ of 1,500/);
    await expect(load).toBeEnabled();
    expect(errors).toEqual([]);
  });

  test('Evaluate then Reset at once: no crash; Reset clears the run and the shipped model reads again', async ({ page }) => {
    const errors = watchErrors(page);
    const app = new AppPage(page);
    await app.goto(TINY);
    await app.expectState('ready');
    await app.trainButton.click();
    await app.expectState('done', 60_000);
    await expect(app.curves).not.toHaveAttribute('data-points', '0');
    await page.getByTestId('evaluate-button').click();
    await app.resetButton.click();
    await app.expectState('ready');
    await expect(app.testAccuracy).toHaveCount(0);
    await expect(app.curves).toHaveAttribute('data-points', '0');
    await expect(page.getByTestId('model-description')).toContainText('pre-trained');
    await expect(page.getByTestId('evaluate-button')).toBeEnabled();
    await drawDigit(page, app.canvas, 7);
    await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
    await notError(app);
    expect(errors).toEqual([]);
  });

  test('Evaluate then Train at once: the run waits its turn and completes', async ({ page }) => {
    const errors = watchErrors(page);
    const app = new AppPage(page);
    await app.goto(TINY);
    await app.expectState('ready');
    await expect(page.getByTestId('model-description')).toContainText('pre-trained');
    await page.getByTestId('evaluate-button').click();
    await app.trainButton.click();
    await app.expectState('done', 60_000);
    // The report is the new model's (600 images, one epoch), not the pre-trained one's (96.7%).
    const acc = Number(await app.testAccuracy.getAttribute('data-value'));
    expect(acc).toBeLessThan(0.95);
    expect(errors).toEqual([]);
  });

  test('Stop then Reset: no model of the run is left on screen, and loading the shipped model shows no old curves', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ trainSize: 48000, epochs: 20, backend: 'wasm' });
    await app.expectState('ready');
    await app.trainButton.click();
    await app.expectState('training');
    await expect.poll(async () => Number(await app.curves.getAttribute('data-points'))).toBeGreaterThan(0);
    await app.stopButton.click();
    await app.expectState('done');
    await expect(app.testAccuracy).toHaveCount(1);
    await app.resetButton.click();
    await app.expectState('ready');
    await expect(app.testAccuracy).toHaveCount(0);
    await expect(app.curves).toHaveAttribute('data-points', '0');
    await expect(page.getByTestId('model-description')).toContainText('pre-trained');
    // Again, leaving by "Load pre-trained model": its figures never sit beside the stopped run's curves.
    await app.trainButton.click();
    await app.expectState('training');
    await expect.poll(async () => Number(await app.curves.getAttribute('data-points'))).toBeGreaterThan(0);
    await app.stopButton.click();
    await app.expectState('done');
    await page.getByTestId('load-bundled-button').click();
    await expect(page.getByTestId('model-description')).toContainText('pre-trained');
    await expect(app.curves).toHaveAttribute('data-points', '0');
    await expect(app.testAccuracy).toHaveCount(0);
    await app.expectState('ready');
  });
});

const SEEDS = (process.env.MONKEY_SEEDS ?? '1').split(',').map(Number);
const STEPS = Number(process.env.MONKEY_STEPS ?? 200);

for (const seed of SEEDS) {
  test(`monkey: ${STEPS} random ordinary actions (seed ${seed}) never reach the error state or a stuck page`, async ({ page }) => {
    test.setTimeout(600_000);
    const errors = watchErrors(page);
    const app = new AppPage(page);
    await app.goto({ trainSize: 300, epochs: 1, backend: 'wasm' });
    await app.expectState('ready');
    // The engine's own seeded PRNG, so a failing sequence can be replayed.
    const random = mulberry32(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const buttons = [
      'train-button',
      'pause-button',
      'stop-button',
      'reset-button',
      'evaluate-button',
      'load-bundled-button',
      'dream-button',
      'clear-button',
      'undo-button',
    ];
    const log: string[] = [];
    for (let i = 0; i < STEPS; i++) {
      const r = random();
      let action: string;
      if (r < 0.12) {
        const d = pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as Digit[]);
        action = `draw ${d}`;
        await drawDigit(page, app.canvas, d, { steps: 3 });
      } else {
        const id = pick(buttons);
        action = `click ${id}`;
        const button = page.getByTestId(id);
        // A person clicks whatever is on screen, enabled or not (a disabled button ignores it); a button
        // not shown (a folded section, a view not loaded yet) is not there to click, and trying would
        // only wait out the 2 s timeout.
        if ((await button.count()) > 0 && (await button.first().isVisible()))
          await button
            .first()
            .click({ force: true, timeout: 2_000 })
            .catch(() => {});
        else action += ' (not shown)';
      }
      log.push(action);
      const pause = random() < 0.5 ? 0 : Math.floor(random() * 150);
      if (pause) await page.waitForTimeout(pause);
      const state = await app.status.getAttribute('data-state');
      if (state === 'error') {
        const message = await app.errorMessage.textContent().catch(() => '');
        throw new Error(`error state after step ${i} (${action}): ${message}\nactions: ${log.slice(-15).join(' · ')}`);
      }
      expect(errors, `page errors after ${action}`).toEqual([]);
    }
    // Not stuck: whatever runs finishes, Train becomes usable, and a final run completes.
    const stop = page.getByTestId('stop-button');
    if (await stop.isEnabled()) await stop.click();
    await expect(app.trainButton).toBeEnabled({ timeout: 60_000 });
    await app.trainButton.click();
    await app.expectState('done', 60_000);
    await expect(app.testAccuracy).toHaveAttribute('data-value', /0\.\d+/);
    expect(errors).toEqual([]);
  });
}
