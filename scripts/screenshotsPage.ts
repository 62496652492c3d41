/**
 * The page at the four viewports, before, during and after training (README's first-five-minutes
 * screenshots, and a look at the page while changing its layout).
 *   npm run build && npx vite preview --port 4203 &
 *   npx tsx scripts/screenshotsPage.ts [http://localhost:4203/] [--out docs] [--only 1280x800] [--query trainSize=12000&epochs=4] [--scheme light]
 * Writes <out>/screenshot-<w>x<h>-<before|training|after>[-light].png: a 3 drawn on the first visit (intro open), mid-run, done.
 */
import { chromium, type Page } from '@playwright/test';
import { drawDigit } from '../e2e/drawing';
import { browserPath } from './findBrowser.mjs';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args.splice(i, 2)[1]! : fallback;
};
const out = option('out', 'docs');
const only = option('only', '');
const query = option('query', 'trainSize=12000&epochs=4');
const scheme = option('scheme', 'dark') as 'dark' | 'light';
const suffix = scheme === 'light' ? '-light' : '';
const base = args[0] ?? 'http://localhost:4203/';

const VIEWPORTS = [
  [1440, 900],
  [1280, 800],
  [768, 1024],
  [390, 844],
] as const;

const browser = await chromium.launch({
  executablePath: browserPath(),
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--enable-unsafe-swiftshader'],
});

async function shoot(page: Page, name: string) {
  const path = `${out}/${name}.png`;
  await page.screenshot({ path });
  console.log(`wrote ${path}`);
}

try {
  for (const [width, height] of VIEWPORTS) {
    if (only && only !== `${width}x${height}`) continue;
    const phone = width < 500;
    const context = await browser.newContext({
      viewport: { width, height },
      isMobile: phone,
      hasTouch: phone,
      serviceWorkers: 'block',
      colorScheme: scheme,
    });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && console.error('page:', m.text()));
    await page.goto(`${base}?${query}`);
    await page.locator('[data-testid=app-status][data-state=ready]').waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    const canvas = page.getByTestId('draw-canvas');
    if (phone || width < 900) await canvas.scrollIntoViewIfNeeded();
    await drawDigit(page, canvas, 3);
    await page.getByTestId('predicted-digit').filter({ hasText: /\d/ }).waitFor();
    await page.waitForTimeout(400); // the bars' transition
    await shoot(page, `screenshot-${width}x${height}-before${suffix}`);

    await page.getByTestId('train-button').click();
    await page.locator('[data-testid=app-status][data-state=training]').waitFor({ timeout: 60_000 });
    // Well into the run: some curve points and at least one epoch.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=curves]')?.getAttribute('data-epochs') ?? 0) >= 1, null, {
      timeout: 120_000,
    });
    await page.waitForTimeout(600);
    if ((await page.getByTestId('app-status').getAttribute('data-state')) !== 'training')
      throw new Error('the run ended before the screenshot: use a longer --query');
    await shoot(page, `screenshot-${width}x${height}-training${suffix}`);

    await page.locator('[data-testid=app-status][data-state=done]').waitFor({ timeout: 10 * 60_000 });
    await page.waitForTimeout(800);
    await shoot(page, `screenshot-${width}x${height}-after${suffix}`);
    await context.close();
  }
} finally {
  await browser.close();
}
