/**
 * The page in both languages (README's "In English and 简体中文" screenshots, and a layout check):
 * the first view with a 3 drawn, and a finished short run, at the four viewports.
 *   npm run build && npx vite preview --port 4203 &
 *   npx tsx scripts/screenshotsLanguages.ts [http://localhost:4203/] [--out docs] [--only 1280x800] [--readme]
 * Writes <out>/screenshot-<lang>-<w>x<h>-<first|done>.png (with --readme: 1280x800 and 390x844 only; the README shows
 * 1280x800 done and 390x844 first)
 * and prints, per shot, anything wider than the page or cut off in its box (horizontal overflow).
 */
import { chromium, type Page } from '@playwright/test';
import { drawDigit } from '../e2e/drawing';
import { browserPath } from './findBrowser.mjs';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args.splice(i, 2)[1]! : fallback;
};
const readme = args.includes('--readme');
const out = option('out', 'docs');
const only = option('only', '');
const base = args.find((a) => !a.startsWith('--')) ?? 'http://localhost:4203/';

const VIEWPORTS = (
  readme
    ? [
        [1280, 800],
        [390, 844],
      ]
    : [
        [1440, 900],
        [1280, 800],
        [768, 1024],
        [390, 844],
      ]
) as [number, number][];

const browser = await chromium.launch({
  executablePath: browserPath(),
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--enable-unsafe-swiftshader'],
});

/** Visible elements wider than the viewport, or whose text is cut off by their own box. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > vw + 1) found.push(`page ${document.documentElement.scrollWidth}px > ${vw}px`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('main *, header *, footer *'))) {
      const r = el.getBoundingClientRect();
      if (r.width <= 2 || r.height <= 2 || !el.checkVisibility()) continue; // visually hidden (screen readers only)
      const style = getComputedStyle(el);
      const clips = style.overflowX === 'hidden' || style.textOverflow === 'ellipsis';
      const name = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : el.className ? `.${String(el.className).split(' ')[0]}` : ''}`;
      if (r.right > vw + 1 && style.position !== 'fixed') found.push(`${name} ends at ${Math.round(r.right)}px`);
      else if (clips && el.scrollWidth > el.clientWidth + 1 && !el.closest('svg'))
        found.push(`${name} cut: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return [...new Set(found)].slice(0, 12);
  });
}

async function shoot(page: Page, name: string) {
  const path = `${out}/${name}.png`;
  await page.screenshot({ path });
  const o = await overflow(page);
  console.log(`wrote ${path}${o.length ? `\n  overflow: ${o.join('; ')}` : ''}`);
}

try {
  for (const lang of ['en', 'zh-CN'] as const) {
    for (const [width, height] of VIEWPORTS) {
      if (only && only !== `${width}x${height}`) continue;
      const phone = width < 500;
      const context = await browser.newContext({
        viewport: { width, height },
        isMobile: phone,
        hasTouch: phone,
        serviceWorkers: 'block',
        colorScheme: 'dark',
        locale: lang,
      });
      const page = await context.newPage();
      page.on('console', (m) => m.type() === 'error' && console.error('page:', m.text()));
      await page.goto(`${base}?trainSize=600&epochs=1`);
      await page.locator('[data-testid=app-status][data-state=ready]').waitFor({ timeout: 60_000 });
      await page.waitForLoadState('networkidle');
      const canvas = page.getByTestId('draw-canvas');
      if (phone || width < 900) await canvas.scrollIntoViewIfNeeded();
      await drawDigit(page, canvas, 3);
      await page.getByTestId('predicted-digit').filter({ hasText: /\d/ }).waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await shoot(page, `screenshot-${lang}-${width}x${height}-first`);
      await page.getByTestId('train-button').click();
      await page.locator('[data-testid=app-status][data-state=done]').waitFor({ timeout: 120_000 });
      await page.getByTestId('run-verdict').waitFor();
      if (phone || width < 1180) await page.getByTestId('test-accuracy').scrollIntoViewIfNeeded();
      await shoot(page, `screenshot-${lang}-${width}x${height}-done`);
      await context.close();
    }
  }
} finally {
  await browser.close();
}
