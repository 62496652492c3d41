#!/usr/bin/env node
// Renders the app icons (public/icons/*.png, for the web app manifest) from
// public/icons/icon.svg with headless Chromium. Run after changing the SVG;
// the PNGs are committed (a few KB each).
//   node scripts/makeIcons.mjs
import { readFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { browserPath } from './findBrowser.mjs';

const dir = new URL('../public/icons/', import.meta.url);
const svg = await readFile(new URL('icon.svg', dir), 'utf8');
/** name, size in px, maskable (full-bleed background, the glyph inside the 80% safe zone). */
const icons = [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-maskable-512.png', 512, true],
];

const browser = await chromium.launch({ executablePath: browserPath(), args: ['--no-sandbox'] });
try {
  for (const [name, size, maskable] of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const img = maskable
      ? svg.replace('rx="96"', 'rx="0"').replace('font-size="360"', 'font-size="280"').replace('y="390"', 'y="356"')
      : svg;
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${img}`,
    );
    await page.screenshot({ path: new URL(name, dir).pathname, omitBackground: true });
    await page.close();
    console.log(`public/icons/${name}`);
  }
} finally {
  await browser.close();
}
