import { expect, test } from '@playwright/test';
import { AppPage } from './appPage';

test.describe('MNIST data loading', () => {
  test('loads all 70,000 images and shows real digits with their labels', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    await expect(app.imageCount).toHaveAttribute('data-value', '70000');
    await expect(app.imageCount).toContainText('70,000 images ready');
    // The first test digits of MNIST are 7, 2, 1, 0, 4, 1, 4, 9, 5, 9.
    await expect(app.sampleLabels.first()).toHaveText('7');
    const labels = await app.sampleLabels.allTextContents();
    expect(labels.slice(0, 10)).toEqual(['7', '2', '1', '0', '4', '1', '4', '9', '5', '9']);
    // The strip is drawn from the decoded bytes: the first digit has ink (not a blank canvas).
    const ink = await page
      .getByTestId('sample-strip')
      .locator('canvas')
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, 28, 28).data;
        let sum = 0;
        for (let i = 0; i < d.length; i += 4) sum += d[i]!;
        return sum / 255;
      });
    expect(ink).toBeGreaterThan(50);
  });

  test('a missing data file shows a clear error naming it', async ({ page }) => {
    await page.route('**/data/train-images-2.png', (route) => route.fulfill({ status: 404, body: 'not found' }));
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('error');
    await expect(app.errorMessage).toContainText('train-images-2.png');
    await expect(app.errorMessage).toContainText('404');
    await expect(app.retryButton).toBeVisible();
  });

  test('a server that answers a missing file with its HTML page: reported as missing, with its URL, not as truncated', async ({ page }) => {
    const html = '<!doctype html><html><head><title>App</title></head><body><div id="root"></div></body></html>';
    // As a single-page-app host does: 200 and the index page for any path, once with the right type, once mislabelled.
    await page.route('**/data/train-images-2.png', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
    await page.route('**/data/test-labels.bin', (route) =>
      route.fulfill({ status: 200, contentType: 'application/octet-stream', body: html }),
    );
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('error');
    await expect(app.errorMessage).toContainText(
      /(train-images-2\.png|test-labels\.bin) is missing: http:\/\/localhost:\d+\/data\/\S+ answered with an HTML page/,
    );
    await expect(app.errorMessage).not.toContainText('truncated');
    await expect(app.retryButton).toBeVisible();
  });

  test('a corrupt data file is caught by its hash, and Retry recovers', async ({ page }) => {
    let corrupt = true;
    await page.route('**/data/test-images-0.png', async (route) => {
      const response = await route.fetch();
      const body = await response.body();
      if (corrupt) body[body.length >> 1]! ^= 0xff; // flip one byte in the middle
      await route.fulfill({ response, body });
    });
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('error');
    await expect(app.errorMessage).toContainText('test-images-0.png is corrupt');
    corrupt = false;
    await app.retryButton.click();
    await app.expectState('ready');
    await expect(app.imageCount).toHaveAttribute('data-value', '70000');
  });

  test('a corrupt manifest is reported', async ({ page }) => {
    await page.route('**/data/manifest.json', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"version": 1, "splits": ' }),
    );
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('error');
    await expect(app.errorMessage).toContainText('manifest.json');
  });
});
