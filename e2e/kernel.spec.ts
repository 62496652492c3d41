import { expect, test } from '@playwright/test';
import { AppPage } from './appPage';

test.describe('the WASM SIMD training kernel in the page', () => {
  test('backend=wasm trains on the kernel: the backend details say so, curves stream, the run ends with a test accuracy', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.goto({ trainSize: 6000, epochs: 3, backend: 'wasm' });
    await app.expectState('ready');
    await app.trainButton.click();
    // The explicit choice takes over when the run starts (the page first raced for `auto`).
    await page.locator('.backend-details summary').click();
    await expect(page.getByTestId('backend-note')).toHaveText(
      'Trains with the WASM SIMD kernel, sparse first layer (predictions on TF.js WebAssembly).',
    );
    await expect(page.getByTestId('gpu-name')).toContainText('WASM SIMD training kernel; predictions on TF.js CPU: WebAssembly SIMD');
    await expect(app.backendName).toHaveText('WASM');
    // The curves fill while it runs: points before the run is done.
    await expect.poll(async () => Number(await app.curves.getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(0);
    await app.expectState('done', 120_000);
    await expect(app.curves).toHaveAttribute('data-epochs', '3');
    const acc = Number(await app.testAccuracy.getAttribute('data-value'));
    // 6,000 images, 3 epochs: about 94% (far above chance, short of the full recipe).
    expect(acc).toBeGreaterThan(0.9);
    expect(acc).toBeLessThan(1);
  });

  test('auto picks the kernel here (no GPU) and says so after the race; Reset after a run restores the shipped model', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ trainSize: 3000, epochs: 1 });
    await app.expectState('ready');
    await page.locator('.backend-details summary').click();
    const note = page.getByTestId('backend-note');
    await expect(note).toContainText('→ WASM');
    await expect(note).toContainText('Trains with the WASM SIMD kernel, sparse first layer');
    await app.trainButton.click();
    await app.expectState('done', 120_000);
    await app.resetButton.click();
    await app.expectState('ready');
    await expect(page.getByTestId('model-description')).toContainText('pre-trained');
  });
});
