/**
 * Screenshots of "Your digits" and "See it think" for the README (docs/).
 *   npx vite preview --port 4203 &   # a built app
 *   npx tsx scripts/screenshotsMine.ts http://localhost:4203/
 */
import { chromium, type Page } from '@playwright/test';
import { drawDigit, drawStrokes } from '../e2e/drawing';
import { QUIRKY_DIGITS } from '../e2e/quirkyDigits';
import { browserPath } from './findBrowser.mjs';

const base = process.argv[2] ?? 'http://localhost:4203/';
const browser = await chromium.launch({ executablePath: browserPath(), args: ['--no-sandbox', '--enable-unsafe-swiftshader'] });

async function ready(page: Page, query = ''): Promise<void> {
  await page.goto(`${base}${query}`);
  await page.locator('[data-testid=app-status][data-state=ready]').waitFor({ timeout: 60_000 });
}

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  await ready(page, '?epochs=4');
  const canvas = page.getByTestId('draw-canvas');
  await page.getByTestId('evaluate-button').click();
  await page.getByTestId('test-accuracy').waitFor();
  for (const [i, { digit, strokes }] of QUIRKY_DIGITS.entries()) {
    await drawStrokes(page, canvas, strokes, i % 2 ? { scale: 0.4, centerX: 0.4, centerY: 0.4 } : { scale: 0.7 });
    await page.getByTestId(`label-digit-${digit}`).click();
    await page.locator('[data-testid=draw-canvas][data-content=empty]').waitFor();
  }
  // A third of each digit, in between sizes: these ten are held out (never sent to fine-tuning).
  for (const { digit, strokes } of QUIRKY_DIGITS.slice(0, 10)) {
    await drawStrokes(page, canvas, strokes, { scale: 0.55, centerX: 0.55, centerY: 0.5 });
    await page.getByTestId(`label-digit-${digit}`).click();
    await page.locator('[data-testid=draw-canvas][data-content=empty]').waitFor();
  }
  await page.getByTestId('prompted-mode').check();
  await drawDigit(page, canvas, 3, { scale: 0.35, centerX: 0.35, centerY: 0.4 });
  await page.waitForFunction(() => document.querySelector('[data-testid=my-digits-accuracy]')?.getAttribute('data-value') !== '');
  await page.waitForFunction(() => document.querySelector('[data-testid=activation-grid]')?.getAttribute('data-units') === '64');
  await page.waitForTimeout(300); // the canvases paint after the reply
  const section = page.locator('.mine-and-think');
  await section.screenshot({ path: 'docs/screenshot-my-digits.png' });
  console.log('wrote docs/screenshot-my-digits.png');

  await page.getByTestId('confusion-cell-4-9').click();
  await page.locator('[data-testid=cell-image]').first().waitFor();
  await page.waitForTimeout(300);
  await page.getByTestId('cell-images').screenshot({ path: 'docs/screenshot-confusion-cell-images.png' });
  console.log('wrote docs/screenshot-confusion-cell-images.png');

  await page.getByTestId('fine-tune-button').click();
  await page.locator('[data-testid=app-status][data-state=done]').waitFor({ timeout: 120_000 });
  await page.getByTestId('fine-tune-result').waitFor();
  await page
    .waitForFunction(() => document.querySelector('[data-testid=fine-tune-heldout]')?.textContent?.includes('→'), null, { timeout: 60_000 })
    .catch(() => {});
  console.log(await page.getByTestId('fine-tune-result').textContent());
  await page.getByTestId('my-digits').screenshot({ path: 'docs/screenshot-fine-tuned.png' });
  console.log('wrote docs/screenshot-fine-tuned.png');
  await page.getByTestId('train-button').click();
  await page.locator('[data-testid=app-status][data-state=done]').waitFor({ timeout: 120_000 });
  await page.waitForTimeout(500);
  await section.screenshot({ path: 'docs/screenshot-see-it-think.png' });
  console.log('wrote docs/screenshot-see-it-think.png');
} finally {
  await browser.close();
}
