import { defineConfig, devices } from '@playwright/test';
import { browserPath } from './scripts/findBrowser.mjs';

/** CHROMIUM_PATH (environment or .env.local), Playwright's Chromium, or a system Chromium/Chrome: see scripts/findBrowser.mjs. */
const executablePath = browserPath();
const port = Number(process.env.E2E_PORT || 4173);
/** Folder of the built app to serve (default dist/). */
const outDir = process.env.E2E_DIST || 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://localhost:${port}/`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // The service worker is tested in offline.spec.ts (which allows it); elsewhere it would cache data between requests.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--enable-unsafe-swiftshader'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: `npx vite preview --outDir ${outDir} --port ${port} --strictPort`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
