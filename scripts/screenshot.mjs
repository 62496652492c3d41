#!/usr/bin/env node
// Takes a screenshot of the running app (vite preview or dev) with headless Chromium.
//   node scripts/screenshot.mjs [url] [out.png] [--width 1280 --height 800] [--wait-state ready] [--full]
import { chromium } from '@playwright/test';
import { browserPath } from './findBrowser.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : dflt;
};
const width = Number(opt('--width', 1280));
const height = Number(opt('--height', 800));
const waitState = opt('--wait-state', 'ready');
const full = args.includes('--full') ? (args.splice(args.indexOf('--full'), 1), true) : false;
const [url = 'http://localhost:4173/', out = 'screenshot.png'] = args;

const browser = await chromium.launch({
  executablePath: browserPath(),
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--enable-unsafe-swiftshader'],
});
try {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('console', (m) => m.type() === 'error' && console.error('page:', m.text()));
  await page.goto(url);
  if (waitState) await page.locator(`[data-testid=app-status][data-state=${waitState}]`).waitFor({ timeout: 60_000 });
  await page.screenshot({ path: out, fullPage: full });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
