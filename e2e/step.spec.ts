/**
 * One training step, slowed down: a drawn 3, its label, one real step and ten more on the current
 * model (its loss falls, its probability rises), the four stages with KaTeX under the page's CSP,
 * Undo restoring the pad's reading exactly, and the view while a run trains.
 */
import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const value = async (app: AppPage, testId: string) => Number(await app.page.getByTestId(testId).getAttribute('data-value'));

test('a drawn 3: Step lowers its loss, ×10 lowers it further, Undo gives the pad its reading back', async ({ page }) => {
  const errors = watchErrors(page);
  // The view (KaTeX's styles and fonts included) keeps to the page's Content-Security-Policy.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI.slice(0, 40)}`));
  });
  const app = new AppPage(page);
  await app.goto({ trainSize: 600, epochs: 1 });
  await app.expectState('ready');
  await drawDigit(page, app.canvas, 3);
  await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
  // The pad's reading settles (it refreshes when the model changes).
  await expect.poll(async () => (await app.probabilities()).reduce((a, b) => a + b)).toBeGreaterThan(0.99);
  const padBefore = await app.probabilities();

  await app.stepMode.click();
  await expect(app.stepView).toBeVisible();
  await expect(app.stepExamplePad).toHaveAttribute('aria-pressed', 'true');
  await app.stepLabel.selectOption('3');
  await expect(app.stepButton).toBeEnabled();
  await app.stepButton.click();

  await expect(app.stepStages).toHaveCount(4);
  expect(await app.stepStages.evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')))).toEqual([
    'forward',
    'loss',
    'backward',
    'update',
  ]);
  for (const stage of await app.stepStages.all()) await expect(stage).toBeVisible();
  const before1 = await value(app, 'step-loss-before');
  const after1 = await value(app, 'step-loss-after');
  expect(after1).toBeLessThan(before1);
  const p3 = await value(app, 'step-probability-3');
  const probs = await Promise.all(Array.from({ length: 10 }, (_, d) => value(app, `step-probability-${d}`)));
  expect(probs.reduce((a, b) => a + b)).toBeCloseTo(1, 4);
  // The loss is −log p(3) of the probabilities shown.
  expect(after1).toBeCloseTo(-Math.log(p3), 4);

  // KaTeX typeset the formulas, its styles set through the CSSOM (allowed by the page's CSP).
  const formulas = page.getByTestId('step-formula');
  expect(await formulas.count()).toBeGreaterThanOrEqual(4);
  await expect(formulas.first().locator('.katex-html')).toBeVisible();
  const strutHeight = await formulas
    .first()
    .evaluate((el) => (el.querySelector('.katex-html .strut') as HTMLElement | null)?.style.height ?? '');
  expect(strutHeight).toMatch(/em$/);
  await expect(page.locator('.katex-error')).toHaveCount(0);
  await page.evaluate(() => document.fonts.ready);
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);

  await app.stepTimes10.click();
  await expect.poll(() => value(app, 'step-loss-after')).toBeLessThan(after1);
  expect(await value(app, 'step-probability-3')).toBeGreaterThan(p3);
  await expect(page.getByTestId('step-loss-curve')).toHaveAttribute('data-points', '12');

  await app.stepUndo.click();
  await expect(page.getByTestId('step-undone')).toHaveAttribute('data-undone', '11');
  await app.stepBack.click();
  await expect(app.stepView).toHaveCount(0);
  await expect.poll(() => app.probabilities()).toEqual(padBefore);
  expect(await app.status.getAttribute('data-state')).not.toBe('error');
  expect(errors).toEqual([]);
});

test('while a run trains, the view offers to pause first, then to stop, and steps once the run has ended', async ({ page }) => {
  const errors = watchErrors(page);
  const app = new AppPage(page);
  await app.goto({ trainSize: 48000, epochs: 3, backend: 'wasm' });
  await app.expectState('ready');
  await app.trainButton.click();
  await app.expectState('training');
  await app.stepMode.click();
  const notice = page.getByTestId('step-training-notice');
  await expect(notice).toBeVisible();
  await app.stepExampleRandom.click();
  await expect(page.getByTestId('step-example-picture')).toBeVisible();
  await expect(app.stepButton).toBeDisabled();
  await expect(app.stepButton).toHaveAttribute('title', /Stop training to take steps by hand/);
  await expect(app.stepUndo).toBeDisabled();

  await page.getByTestId('step-pause-first').click();
  await app.expectState('paused');
  await expect(app.stepButton).toBeDisabled();
  await page.getByTestId('step-stop-first').click();
  await app.expectState('done', 60_000);
  await expect(notice).toHaveCount(0);
  await expect(app.stepButton).toBeEnabled();
  await app.stepButton.click();
  await expect(app.stepStages).toHaveCount(4);
  // The step continues the run's Adam state (its momentum), so on an image the model already reads
  // well its loss may rise a little: what the step did is shown, not assumed.
  expect(await value(app, 'step-loss-after')).toBeGreaterThan(0);
  expect(await app.status.getAttribute('data-state')).not.toBe('error');
  expect(errors).toEqual([]);
});
