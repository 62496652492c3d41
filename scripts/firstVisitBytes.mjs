#!/usr/bin/env node
/* global document -- page.waitForFunction callbacks run in the browser */
// Measures what a first visit downloads: serves a built app (with COOP/COEP),
// opens it in headless Chromium with service workers blocked (the page's own
// needs; the service worker's precache is counted separately from its
// manifest), waits until the app is ready and the network has been quiet for
// 2 s, and sums the files fetched by kind, JS/CSS/HTML gzip-compressed
// (level 9) as a server would send them, WASM and data as the bytes on disk.
// "js-first" is the JavaScript index.html loads before the first paint.
//
//   node scripts/firstVisitBytes.mjs [--dist dist] [--port 4330] [--query backend=webgl] [--json]
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { browserPath } from './findBrowser.mjs';
import { serveDist } from './serveDist.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const dist = resolve(option('dist', 'dist'));
const port = Number(option('port', 4330));
const query = option('query', '');

/** Which row of the table a file belongs to. */
function kind(path) {
  if (path.includes('/data/')) return 'data';
  if (path.includes('/models/')) return 'model';
  const ext = extname(path);
  if (ext === '.js') return 'js';
  if (ext === '.wasm') return 'wasm';
  if (ext === '.css' || ext === '.html') return 'html+css';
  return 'other';
}
const compressed = (k) => k === 'js' || k === 'js-first' || k === 'html+css';

const server = await serveDist(dist, port);
const browser = await chromium.launch({
  executablePath: browserPath(),
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--enable-unsafe-swiftshader'],
});
const context = await browser.newContext({ serviceWorkers: 'block' });
const page = await context.newPage();
const urls = new Set();
let last = Date.now();
context.on('request', (r) => {
  urls.add(new URL(r.url()).pathname);
  last = Date.now();
});
await page.goto(`http://127.0.0.1:${port}/${query ? `?${query}` : ''}`);
await page.waitForFunction(() => document.querySelector('[data-testid="app-status"]')?.getAttribute('data-state') === 'ready', null, {
  timeout: 120_000,
});
while (Date.now() - last < 2000) await page.waitForTimeout(250);
await browser.close();
server.close();

/** Scripts index.html loads itself (entry and modulepreloads): what the first paint waits for. */
const html = await readFile(join(dist, 'index.html'), 'utf8');
const firstPaint = new Set(
  [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.?\/?([^"]+\.js)"/g)].map((m) => `/${m[1]}`),
);
const rows = {};
const files = [];
for (const url of [...urls].sort()) {
  const file = join(dist, url.endsWith('/') ? `${url}index.html` : url);
  const body = await readFile(file).catch(() => null);
  if (!body) continue;
  const k = kind(file);
  const bytes = compressed(k) ? gzipSync(body, { level: 9 }).length : body.length;
  rows[k] = (rows[k] ?? 0) + bytes;
  if (firstPaint.has(url)) rows['js-first'] = (rows['js-first'] ?? 0) + bytes;
  files.push({ url, kind: k, bytes });
}
if (args.includes('--json')) console.log(JSON.stringify({ dist, rows, files }, null, 2));
else {
  for (const f of files) console.log(`${String(f.bytes).padStart(10)}  ${f.kind.padEnd(8)} ${f.url}`);
  console.log('');
  for (const [k, b] of Object.entries(rows))
    console.log(`${k.padEnd(9)} ${(b / 1024).toFixed(1).padStart(9)} KiB${compressed(k) ? ' (gzip)' : ''}`);
}
