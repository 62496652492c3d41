import { expect, test, type Page } from '@playwright/test';
import { englishWords } from '../src/i18n/allowList';
import { LANGUAGE_NAMES } from '../src/i18n/language';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';

/**
 * The page in English and Simplified Chinese: the browser's language on a first visit, a switch
 * that is kept, `?lang=` shared and validated, and no English left in the Chinese page.
 *
 * The regions checked are the page's shell (header, intro, data, settings and run bar, pad with
 * its answer, run panel and curves, footer). The views below them (your digits, see it think, the
 * test report and the insight views, experiments) are checked by their own spec (H8's), so they
 * are left out here.
 */
const SHELL = [
  'header.app-header',
  '[data-testid=intro]',
  'section.data-status',
  'section.controls',
  '.draw-head',
  '.drawing-surface',
  '.drawing-side',
  '[data-testid=label-row]',
  '.center',
  'footer.app-footer',
];

/** English words in the shell's visible text (innerText: what is rendered, closed details left out), each with where it is. */
async function englishInShell(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const selector of SHELL) {
    const region = page.locator(selector).first();
    if (!(await region.count())) continue;
    // The language switch names each language in itself ("English" is the English option's name).
    const text = (await region.innerText()).replaceAll(LANGUAGE_NAMES.en, '');
    for (const w of englishWords(text)) found.push(`${selector}: ${w}`);
  }
  return found;
}

test.describe('in Chinese from the browser', () => {
  test.use({ locale: 'zh-CN' });

  test('a first visit is in Chinese: <html lang>, the title, and no English word in the first view', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page).toHaveTitle(/MNIST 游乐场/);
    await expect(app.languageSelect).toHaveValue('zh-CN');
    await expect(app.trainButton).toHaveText('训练');
    await expect(app.modelDescription).toContainText('预训练的参考配方');
    await drawDigit(page, app.canvas, 3);
    await expect(app.predictedDigit).toHaveText(/^[0-9]$/);
    expect(await englishInShell(page)).toEqual([]);
    // The probe itself finds English when there is some.
    expect(englishWords('训练 Train 96.7% MNIST')).toEqual(['Train']);
  });

  test('the training view of a finished run is all Chinese, numbers included', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ trainSize: 600, epochs: 1 });
    await app.expectState('ready');
    await app.trainButton.click();
    await app.expectState('done', 90_000);
    await expect(app.runVerdict).toBeVisible();
    await expect(page.getByTestId('run-note')).toContainText('轮');
    await expect(app.testAccuracy).toHaveText(/^\d{1,3}\.\d\d%$/);
    expect(await englishInShell(page)).toEqual([]);
  });

  test('English chosen in the switch applies at once and stays after a reload', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    await expect(app.trainButton).toHaveText('训练');
    await app.languageSelect.selectOption('en');
    await expect(app.trainButton).toHaveText('Train');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page).toHaveTitle(/MNIST playground/);
    await page.reload();
    await app.expectState('ready');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(app.languageSelect).toHaveValue('en');
    await expect(app.trainButton).toHaveText('Train');
    await expect(app.modelDescription).toContainText('pre-trained');
  });
});

test.describe('?lang= in the URL', () => {
  test.use({ locale: 'en-US' });

  test('?lang=zh-CN with an English browser is Chinese, and the switch keeps the link shareable', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ lang: 'zh-CN', epochs: 3 });
    await app.expectState('ready');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(app.trainButton).toHaveText('训练');
    await expect(page.getByTestId('param-epochs')).toHaveValue('3');
    await app.languageSelect.selectOption('en');
    await expect(app.trainButton).toHaveText('Train');
    await expect.poll(() => new URL(page.url()).searchParams.get('lang')).toBe('en');
    expect(new URL(page.url()).searchParams.get('epochs')).toBe('3');
  });

  test('?lang=xx is refused with a clear message, the page in English, nothing else lost', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ lang: 'xx', epochs: 3 });
    await app.expectState('ready');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(app.languageRefused).toBeVisible();
    await expect(app.languageRefused).toContainText('“xx” is not offered');
    await expect(app.languageRefused).toContainText('en or zh-CN');
    await expect(app.trainButton).toHaveText('Train');
    await expect(page.getByTestId('param-epochs')).toHaveValue('3');
    await expect(app.errorMessage).toHaveCount(0);
  });

  test('a refused ?lang= says so even when a kept choice is Chinese, and the choice is not overwritten', async ({ page }) => {
    const app = new AppPage(page);
    await page.addInitScript(() => localStorage.setItem('mnist-playground.lang', 'zh-CN'));
    await app.goto({ lang: 'fr' });
    await app.expectState('ready');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(app.languageRefused).toContainText('“fr”');
    expect(await page.evaluate(() => localStorage.getItem('mnist-playground.lang'))).toBe('zh-CN');
  });
});
