import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';

/**
 * Accessibility with axe-core: no serious or critical violation on the first view and after a
 * tiny run with the test report, the mistake gallery and the dreams on screen, in the dark and
 * the light theme; every piece of content inside a landmark ("region"); a keyboard way to try
 * the pad; charts that are named, summarised in text and not tab stops.
 */

async function axeProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'region' || v.id === 'landmark-one-main')
    .map(
      (v) =>
        `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

async function firstView(page: Page): Promise<AppPage> {
  const app = new AppPage(page);
  await app.goto();
  await app.expectState('ready');
  await expect(page.getByTestId('model-description')).toContainText('pre-trained');
  await expect(app.curves).toBeAttached();
  await expect(page.getByTestId('test-report')).toBeAttached();
  return app;
}

for (const colorScheme of ['dark', 'light'] as const) {
  test(`first view (${colorScheme} theme): no serious or critical axe violation, one main landmark`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await firstView(page);
    await expect(page.getByRole('main')).toHaveCount(1);
    expect(await axeProblems(page)).toEqual([]);
  });
}

test.describe('in Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('first view and after a tiny run, in zh-CN: no serious or critical axe violation', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ trainSize: 600, epochs: 1, backend: 'wasm' });
    await app.expectState('ready');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(app.modelDescription).toContainText('预训练');
    await expect(app.curves).toBeAttached();
    expect(await axeProblems(page), 'first view').toEqual([]);
    await app.trainButton.click();
    await app.expectState('done', 90_000);
    await expect(app.runVerdict).toBeVisible();
    expect(await axeProblems(page), 'after a run').toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await axeProblems(page), 'light theme').toEqual([]);
  });
});

test('after a tiny run with the report, the mistake gallery and the dreams shown: no serious or critical violation', async ({ page }) => {
  const app = new AppPage(page);
  await app.goto({ trainSize: 600, epochs: 1, backend: 'wasm' });
  await app.expectState('ready');
  await app.trainButton.click();
  await app.expectState('done', 90_000);
  await expect(page.getByTestId('mistake-gallery')).toBeVisible();
  await page.getByTestId('dream-button').click();
  await expect(page.getByTestId('dream-image')).toHaveCount(10, { timeout: 60_000 });
  // A run that is not the reference recipe is not set beside the reference figure.
  await expect(page.getByTestId('reference-comparison')).toHaveCount(0);
  await expect(page.getByTestId('reference-note')).toContainText('96.7%');
  expect(await axeProblems(page)).toEqual([]);
  for (const scheme of ['light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeProblems(page), `${scheme} theme`).toEqual([]);
  }
});

test('the pad can be tried from the keyboard: a random test digit is loaded and read', async ({ page }) => {
  const app = await firstView(page);
  const load = page.getByRole('button', { name: 'Load a random test digit' });
  await load.focus();
  await page.keyboard.press('Enter');
  await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
  await expect(page.locator('.prediction-caption')).toContainText(/test digit #\d+, labelled \d/);
  await expect(page.getByTestId('prediction-verdict')).not.toHaveAttribute('data-verdict', '');
});

test('charts are named groups with a text summary, and not tab stops', async ({ page }) => {
  await firstView(page);
  for (const [kind, name] of [
    ['loss', 'Loss (cross-entropy)'],
    ['accuracy', 'Accuracy'],
  ] as const) {
    const chart = page.getByRole('group', { name });
    await expect(chart).toHaveAttribute('data-testid', `chart-${kind}`);
    await expect(chart).toHaveAccessibleDescription(/No points yet/);
  }
  await expect(page.locator('[data-testid=curves] [tabindex]:not([tabindex="-1"])')).toHaveCount(0);
  // The raw batch loss is in the legend.
  await expect(page.getByTestId('chart-loss').locator('.chart-legend')).toContainText('each batch');
});
