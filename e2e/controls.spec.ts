import { expect, test } from '@playwright/test';
import { AppPage } from './appPage';

test.describe('controls', () => {
  test('the form shows the reference recipe and keeps the URL in sync', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    await expect(page.getByTestId('param-epochs')).toHaveValue('10');
    await expect(page.getByTestId('param-batchSize')).toHaveValue('32');
    await expect(page.getByTestId('param-learningRate')).toHaveValue('0.001');
    await expect(page.getByLabel('Units in hidden layer 1')).toHaveValue('64');
    await expect(page.getByLabel('Units in hidden layer 2')).toHaveValue('64');

    await page.getByTestId('param-epochs').fill('3');
    await page.getByRole('button', { name: 'Add a hidden layer' }).click();
    await page.getByLabel('Units in hidden layer 3').fill('32');
    await page.getByTestId('param-optimizer').selectOption('sgd');
    await expect.poll(() => new URL(page.url()).searchParams.get('epochs')).toBe('3');
    await expect.poll(() => new URL(page.url()).searchParams.get('hiddenUnits')).toBe('64,64,32');
    expect(new URL(page.url()).searchParams.get('optimizer')).toBe('sgd');

    // the link reproduces the configuration
    await page.reload();
    await app.expectState('ready');
    await expect(page.getByTestId('param-epochs')).toHaveValue('3');
    await expect(page.getByLabel('Units in hidden layer 3')).toHaveValue('32');
    await expect(page.getByTestId('param-optimizer')).toHaveValue('sgd');

    await page.getByRole('button', { name: 'Reference recipe defaults' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('');
  });

  test('an invalid value gets an inline message and disables Train', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    const train = page.getByTestId('train-button');
    await expect(train).toBeEnabled();
    await page.getByTestId('param-learningRate').fill('-0.5');
    await expect(page.getByTestId('error-learningRate')).toHaveText('Learning rate must be above 0 and at most 10');
    await expect(page.getByTestId('param-learningRate')).toHaveAttribute('aria-invalid', 'true');
    await expect(train).toBeDisabled();
    await page.getByTestId('param-learningRate').fill('0.01');
    await expect(page.getByTestId('error-learningRate')).toHaveCount(0);
    await expect(train).toBeEnabled();
  });

  test('invalid values in a shared link are reported, not silently used', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ epochs: 'lots', batchSize: 0 });
    await app.expectState('ready');
    await expect(page.getByTestId('error-epochs')).toHaveText('Epochs must be a whole number');
    await expect(page.getByTestId('error-batchSize')).toHaveText('Batch size must be between 1 and 4096');
    await expect(page.getByTestId('train-button')).toBeDisabled();
  });

  test('a phone-sized viewport has no horizontal scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByTestId('train-button')).toBeVisible();
  });
});
