/**
 * Screenshots of the experiments section for the README (docs/): the kept runs, and three of them compared.
 *   npx vite preview --port 4205 &   # a built app
 *   npx tsx scripts/screenshotsExperiments.ts http://localhost:4205/ [--light]
 */
import { chromium, type Page } from '@playwright/test';
import { browserPath } from './findBrowser.mjs';

const base = process.argv[2] ?? 'http://localhost:4205/';
const light = process.argv.includes('--light');
const browser = await chromium.launch({ executablePath: browserPath(), args: ['--no-sandbox', '--enable-unsafe-swiftshader'] });

/** Puts a configuration in the form (through the URL), trains, and waits until the run is kept. */
async function run(page: Page, query: string): Promise<void> {
  await page.goto(`${base}?${query}`);
  await page.locator('[data-testid=app-status][data-state=ready]').waitFor({ timeout: 60_000 });
  await page.locator('[data-testid=run-item]').first().waitFor(); // the kept runs are read (the shipped one at least)
  const before = await page.getByTestId('run-item').count();
  await page.getByTestId('train-button').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=run-item]').length > n, before, { timeout: 300_000 });
  await page.waitForTimeout(1000); // the run is shown at once, then stored
  console.log(`${query}: ${await page.getByTestId('run-item').count()} runs kept`);
}

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: light ? 'light' : 'dark' });
  const common = 'trainSize=12000&epochs=6&backend=wasm';
  await run(page, common);
  await run(page, `${common}&optimizer=sgd&learningRate=0.05`);
  await run(page, `${common}&hiddenUnits=128,64&dropout=0.2`);
  await run(page, `${common}&activation=sigmoid&seed=7`);
  const items = page.getByTestId('run-item');
  // The newest three (not the sigmoid one): adam, sgd, and the wider one with dropout.
  for (const i of [1, 2, 3]) await items.nth(i).getByTestId('run-select').check();
  await items.nth(1).getByTestId('run-pin').click();
  await page.getByTestId('run-compare').waitFor();
  await page.waitForTimeout(500);
  const section = page.getByTestId('experiments');
  await section.scrollIntoViewIfNeeded();
  const suffix = light ? '-light' : '';
  await page.getByTestId('run-history').screenshot({ path: `docs/screenshot-experiments-history${suffix}.png` });
  await page.locator('.run-comparison').screenshot({ path: `docs/screenshot-experiments-compare${suffix}.png` });
  await page.getByTestId('python-panel').screenshot({ path: `docs/screenshot-python${suffix}.png` });
  console.log(await page.getByTestId('run-diff').innerText());
  console.log('wrote docs/screenshot-experiments-*.png');
} finally {
  await browser.close();
}
