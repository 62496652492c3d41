import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';

async function trainTiny(app: AppPage, query: Record<string, string | number> = {}) {
  await app.goto({ trainSize: 3000, epochs: 1, backend: 'wasm', ...query });
  await app.expectState('ready');
  await app.trainButton.click();
  await app.expectState('done', 90_000);
}

/** The ten probabilities once they hold still (the answer for the whole drawing, not for its first stroke). */
async function settledProbabilities(app: AppPage): Promise<number[]> {
  let last = '';
  await expect
    .poll(
      async () => {
        const now = JSON.stringify(await app.probabilities());
        const same = now === last;
        last = now;
        return same;
      },
      { intervals: [300] },
    )
    .toBe(true);
  return JSON.parse(last) as number[];
}

async function confusionSum(page: Page): Promise<number> {
  let sum = 0;
  for (let t = 0; t < 10; t++)
    for (let p = 0; p < 10; p++) sum += Number(await page.getByTestId(`confusion-cell-${t}-${p}`).getAttribute('data-value'));
  return sum;
}

test.describe('inside the network', () => {
  test('first visit: the shipped model reads a drawn digit before any training', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    await expect(page.getByTestId('model-description')).toContainText('pre-trained reference recipe');
    await drawDigit(page, app.canvas, 1);
    await expect(app.predictedDigit).toHaveText('1');
    await app.clearButton.click();
    await drawDigit(page, app.canvas, 7);
    await expect(app.predictedDigit).toHaveText('7');
  });

  test('after training: confusion matrix, per-class accuracy and mistakes add up; a mistake can be inspected', async ({ page }) => {
    const app = new AppPage(page);
    await trainTiny(app);
    const matrix = page.getByTestId('confusion-matrix');
    await expect(matrix).toHaveAttribute('data-total', '10000');
    expect(await confusionSum(page)).toBe(10000);
    let diagonal = 0;
    for (let d = 0; d < 10; d++) diagonal += Number(await page.getByTestId(`confusion-cell-${d}-${d}`).getAttribute('data-value'));
    const acc = Number(await app.testAccuracy.getAttribute('data-value'));
    expect(diagonal / 10000).toBeCloseTo(acc, 4);
    await expect(page.getByTestId('per-class-accuracy').locator('[data-testid^=class-accuracy-]')).toHaveCount(10);
    const mistakes = page.getByTestId('mistake-item');
    expect(await mistakes.count()).toBeGreaterThan(0);
    await mistakes.first().click();
    await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
    await expect(app.canvas).toHaveAttribute('data-content', 'external');
  });

  test('the first layer is drawn as 64 images that change while training', async ({ page }) => {
    const app = new AppPage(page);
    // Long enough that the run is still going when the test stops it (20 epochs of 12,000 ended in ~3 s on a quiet machine).
    await app.goto({ trainSize: 24000, epochs: 200, backend: 'wasm' });
    await app.expectState('ready');
    const grid = page.getByTestId('weight-grid');
    await app.trainButton.click();
    await app.expectState('training');
    await expect(grid).toHaveAttribute('data-units', '64');
    await expect(grid.getByTestId('weight-unit')).toHaveCount(64);
    const pixels = () =>
      grid
        .getByTestId('weight-unit')
        .first()
        .evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, 28, 28).data).join(','));
    // Off screen the pictures wait (views cost what they show); on screen they follow the training.
    await expect.poll(async () => Number(await app.curves.getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(3);
    await expect(grid).not.toBeInViewport();
    const offScreen = Number(await grid.getAttribute('data-version'));
    // Some 40 batch events later (about 2 s; the worker sends new weights about twice a second): still not repainted.
    await expect.poll(async () => Number(await app.curves.getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(43);
    expect(Number(await grid.getAttribute('data-version'))).toBe(offScreen);
    await grid.scrollIntoViewIfNeeded();
    const v1 = Number(await grid.getAttribute('data-version'));
    const img1 = await pixels();
    await expect.poll(async () => Number(await grid.getAttribute('data-version')), { timeout: 30_000 }).toBeGreaterThan(v1);
    await expect.poll(pixels, { timeout: 30_000 }).not.toBe(img1);
    await app.stopButton.click();
    await app.expectState('done');
  });

  /** The ten dreams' own-class confidences (0..1), read from what each image says of itself. */
  async function dreamConfidences(page: Page): Promise<number[]> {
    await page.getByTestId('dream-button').click();
    const images = page.getByTestId('dream-image');
    await expect(images).toHaveCount(10, { timeout: 90_000 });
    const out: number[] = [];
    for (let d = 0; d < 10; d++) {
      const label = (await images.nth(d).getAttribute('aria-label')) ?? '';
      const m = label.match(new RegExp(`^the network's ${d}, ([\\d.]+)% confident$`));
      expect(m, label).not.toBeNull();
      out.push(Number(m![1]) / 100);
      // Not blank: ink somewhere, not everywhere.
      const ink = await images.nth(d).evaluate((c: HTMLCanvasElement) => {
        const px = c.getContext('2d')!.getImageData(0, 0, 28, 28).data;
        let lit = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i]! > 128) lit++;
        return lit;
      });
      expect(ink, `dream of ${d}`).toBeGreaterThan(20);
      expect(ink, `dream of ${d}`).toBeLessThan(600);
    }
    return out;
  }

  test('dreams are digits: the shipped model reads each of its ten dreams as its own digit at 90% or more', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    await expect(page.getByTestId('model-description')).toContainText('pre-trained');
    const c = await dreamConfidences(page);
    c.forEach((v, d) => expect(v, `dream of ${d}: ${c.join(' ')}`).toBeGreaterThanOrEqual(0.9));
  });

  // Models trained in the page on every backend, the recipe's shape and a wider one (128-64 had a 0 at 0% on WASM).
  for (const [backend, query] of [
    ['wasm', { hiddenUnits: '128,64' }],
    ['cpu', {}],
    ['webgl', {}],
  ] as const)
    test(`dreams are digits for a model trained on ${backend}${'hiddenUnits' in query ? ` (${query.hiddenUnits})` : ''}`, async ({
      page,
    }) => {
      const app = new AppPage(page);
      await trainTiny(app, { backend, ...query });
      const c = await dreamConfidences(page);
      c.forEach((v, d) => expect(v, `dream of ${d}: ${c.join(' ')}`).toBeGreaterThanOrEqual(0.9));
    });

  test('save, reload, load: the same drawing gets the same prediction', async ({ page }) => {
    const app = new AppPage(page);
    await trainTiny(app, { seed: 7 });
    await drawDigit(page, app.canvas, 4);
    await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
    const before = await settledProbabilities(app);
    await page.getByTestId('model-name-input').fill('tiny seed 7');
    await page.getByTestId('save-button').click();
    await expect(page.getByTestId('saved-model-item').filter({ hasText: 'tiny seed 7' })).toHaveCount(1);

    await page.reload();
    await app.expectState('ready');
    const item = page.getByTestId('saved-model-item').filter({ hasText: 'tiny seed 7' });
    await item.getByTestId('load-model-button').click();
    await expect(page.getByTestId('model-description')).toContainText('tiny seed 7');
    await drawDigit(page, app.canvas, 4);
    await expect.poll(async () => (await app.probabilities()).map((p) => p.toFixed(4))).toEqual(before.map((p) => p.toFixed(4)));
  });

  test('a corrupt import is refused with a reason and the saved list is untouched', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    await page.getByTestId('model-name-input').fill('keep me');
    await page.getByTestId('save-button').click();
    const items = page.getByTestId('saved-model-item');
    await expect(items.filter({ hasText: 'keep me' })).toHaveCount(1);
    const count = await items.count();

    await page
      .getByTestId('import-input')
      .setInputFiles([
        { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "layers-model", "modelTopology": ') },
      ]);
    await expect(page.getByTestId('import-error')).toBeVisible();
    await expect(page.getByTestId('import-error')).toContainText(/JSON/i);

    const wrongShape = {
      format: 'layers-model',
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 's',
          layers: [{ class_name: 'Dense', config: { units: 10, activation: 'softmax', batch_input_shape: [null, 100] } }],
        },
      },
      weightsManifest: [
        {
          paths: ['./w.bin'],
          weights: [
            { name: 'k', shape: [100, 10], dtype: 'float32' },
            { name: 'b', shape: [10], dtype: 'float32' },
          ],
        },
      ],
    };
    await page.getByTestId('import-input').setInputFiles([
      { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(wrongShape)) },
      { name: 'w.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1010 * 4) },
    ]);
    await expect(page.getByTestId('import-error')).toContainText('not a 784→10 classifier');
    await expect(items).toHaveCount(count);
    await expect(page.getByTestId('model-description')).toContainText('pre-trained');

    // Deleting asks once more; then the entry is gone.
    const keep = items.filter({ hasText: 'keep me' });
    await keep.getByTestId('delete-model-button').click();
    await expect(items).toHaveCount(count);
    await keep.getByTestId('confirm-delete-button').click();
    await expect(items).toHaveCount(count - 1);
  });
});
