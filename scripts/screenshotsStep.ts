/**
 * The "one step, slowed down" view at 1280×800 and on a phone (390×844): a short run first (600
 * images, one epoch, so the model is unsure and a step shows), then a 3 drawn on the pad, labelled 3,
 * one Step and then ×10, each of the four stages scrolled into view.
 *   npm run build && npx vite preview --port 4202 &
 *   npx tsx scripts/screenshotsStep.ts [http://localhost:4202/] [--out docs] [--lang zh-CN]
 * Writes <out>/screenshot-step-<forward|loss|backward|update>-<w>x<h>[-zh-CN].png.
 */
import { chromium } from '@playwright/test';
import { drawDigit } from '../e2e/drawing';
import { browserPath } from './findBrowser.mjs';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args.splice(i, 2)[1]! : fallback;
};
const out = option('out', 'docs');
const lang = option('lang', '');
const base = args[0] ?? 'http://localhost:4202/';
const VIEWPORTS = [
  [1280, 800],
  [390, 844],
] as const;
const STAGES = ['forward', 'loss', 'backward', 'update'] as const;

const browser = await chromium.launch({
  executablePath: browserPath(),
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--enable-unsafe-swiftshader'],
});

try {
  for (const [width, height] of VIEWPORTS) {
    const phone = width < 500;
    const context = await browser.newContext({ viewport: { width, height }, isMobile: phone, hasTouch: phone, serviceWorkers: 'block' });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && console.error('page:', m.text()));
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${base}?trainSize=600&epochs=1${lang ? `&lang=${lang}` : ''}`);
    await page.locator('[data-testid=app-status][data-state=ready]').waitFor({ timeout: 60_000 });
    await page.getByTestId('train-button').click();
    await page.locator('[data-testid=app-status][data-state=done]').waitFor({ timeout: 120_000 });
    const canvas = page.getByTestId('draw-canvas');
    await canvas.scrollIntoViewIfNeeded();
    await drawDigit(page, canvas, 3);
    await page.getByTestId('predicted-digit').waitFor();
    await page.getByTestId('step-mode').click();
    await page.getByTestId('step-example-pad').and(page.locator('[aria-pressed=true]')).waitFor();
    await page.getByTestId('step-label').selectOption('3');
    await page.getByTestId('step-button').click();
    await page.getByTestId('step-stage').nth(3).waitFor();
    const after = page.getByTestId('step-loss-after');
    const first = await after.getAttribute('data-value');
    await page.getByTestId('step-times-10').click();
    await page.waitForFunction((v) => document.querySelector('[data-testid=step-loss-after]')?.getAttribute('data-value') !== v, first);
    await page.waitForTimeout(300); // i18n-ignore: let the canvases and KaTeX settle before the picture (a screenshot script, not a test)
    for (const stage of STAGES) {
      await page.locator(`[data-stage=${stage}]`).evaluate((el) => el.scrollIntoView({ block: 'start' }));
      const path = `${out}/screenshot-step-${stage}-${width}x${height}${lang ? `-${lang}` : ''}.png`;
      await page.screenshot({ path });
      console.log(`wrote ${path}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
