import { readFileSync } from 'node:fs';
import { expect, test, type Page, type Worker } from '@playwright/test';
import { encodeMyDigitsFile } from '../src/shared/myDigits';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';
import { StaticServer } from './staticServer';

type Violations = { page: string[]; workers: () => Promise<string[]> };

/**
 * Content-Security-Policy violations, from the start: the page's `securitypolicyviolation` events,
 * and each worker's own (a worker's violations fire in the worker, where a listener is added as
 * soon as Playwright reports it, before it has loaded anything; nested workers such as WASM's
 * threads are reported too). `workers()` collects what the live workers heard.
 */
async function recordViolations(page: Page): Promise<Violations> {
  const seen: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => seen.push(v));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`,
      ),
    ),
  );
  const workers = new Set<Worker>();
  page.on('worker', (w) => {
    workers.add(w);
    w.on('close', () => workers.delete(w));
    void w
      .evaluate(() => {
        const g = self as unknown as { __csp?: string[] };
        g.__csp = [];
        self.addEventListener('securitypolicyviolation', (e) =>
          g.__csp!.push(`${e.effectiveDirective} blocked ${e.blockedURI} in ${location.href}`),
        );
      })
      .catch(() => {});
  });
  // A WASM thread blocked in Atomics.wait cannot answer: it is skipped after a second.
  const heard = (w: Worker) =>
    Promise.race([
      w.evaluate(() => (self as unknown as { __csp?: string[] }).__csp ?? []).catch(() => []),
      new Promise<string[]>((resolve) => setTimeout(() => resolve([]), 1000)),
    ]);
  const fromWorkers = async () => (await Promise.all([...workers].map(heard))).flat();
  return { page: seen, workers: fromWorkers };
}

/** True once a service worker controls the page. */
const controlled = (page: Page) => page.evaluate(() => !!navigator.serviceWorker.controller).catch(() => false);
/** Adds an inline script to the page: false when the policy refused to run it (as it must). */
const inlineScriptRan = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __inlineRan?: boolean };
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
    s.remove();
    return w.__inlineRan === true;
  });

const reference = new URL('../public/models/reference/', import.meta.url);

test.describe('a strict Content-Security-Policy', () => {
  test.use({ serviceWorkers: 'allow' });

  test('a whole session (train, draw, dream, save, import, offline reload) records no violation, under a policy that is on', async ({
    page,
    context,
  }) => {
    test.setTimeout(240_000);
    const violations = await recordViolations(page);
    const app = new AppPage(page);
    const response = await page.goto('./?trainSize=600&epochs=1');
    const header = response?.headers()['content-security-policy'] ?? '';
    expect(header).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(header).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    await app.expectState('ready');

    // Train (auto: the race starts every backend that can start), then draw.
    await app.trainButton.click();
    await app.expectState('done', 120_000);
    await drawDigit(page, app.canvas, 3);
    await expect(app.predictedDigit).toHaveText(/^[0-9]$/);

    // Dream, save, import a model and a digits file.
    await page.getByTestId('dream-button').click();
    await expect(page.getByTestId('dream-image')).toHaveCount(10, { timeout: 90_000 });
    await page.getByTestId('model-name-input').fill('csp session');
    await page.getByTestId('save-button').click();
    await expect(page.getByTestId('saved-model-item').filter({ hasText: 'csp session' })).toHaveCount(1);
    await page.getByTestId('import-input').setInputFiles([
      { name: 'model.json', mimeType: 'application/json', buffer: readFileSync(new URL('model.json', reference)) },
      { name: 'model.weights.bin', mimeType: 'application/octet-stream', buffer: readFileSync(new URL('model.weights.bin', reference)) },
    ]);
    await expect(page.getByTestId('model-description')).toContainText('imported model');
    const digits = encodeMyDigitsFile([{ label: 7, pixels: new Uint8Array(784).fill(0).map((_, i) => (i % 28 === 14 ? 255 : 0)) }]);
    await page
      .getByTestId('my-digits-import')
      .setInputFiles({ name: 'one.digits.json', mimeType: 'application/json', buffer: Buffer.from(digits) });
    await expect(page.getByTestId('my-digits-count')).toHaveAttribute('data-value', '1');

    // Offline reload, served by the service worker (which sends the policy itself).
    await expect.poll(() => controlled(page), { timeout: 60_000 }).toBe(true);
    await context.setOffline(true);
    const offline = await page.reload();
    expect(offline?.headers()['content-security-policy']).toContain("'wasm-unsafe-eval'");
    await app.expectState('ready');
    await drawDigit(page, app.canvas, 7);
    await expect(app.predictedDigit).toHaveText(/^[0-9]$/);

    expect(violations.page).toEqual([]);
    expect(await violations.workers()).toEqual([]);
    // The policy is really on, in the page and in the training worker (whose policy comes from its own response).
    expect(await inlineScriptRan(page)).toBe(false);
    await expect.poll(() => violations.page.some((v) => v.startsWith('script-src-elem blocked inline'))).toBe(true);
    const worker = page.workers().find((w) => w.url().includes('trainer.worker'));
    expect(worker).toBeDefined();
    await worker!.evaluate(() => fetch('http://127.0.0.1:9/').catch(() => null));
    await expect.poll(() => violations.workers()).toContainEqual(expect.stringMatching(/^connect-src blocked http:\/\/127\.0\.0\.1:9/));
    await context.setOffline(false);
  });
});

test('on a static host that sends no headers, the <meta> policy holds and the page works without a violation', async ({ page }) => {
  const server = new StaticServer(process.env.E2E_DIST || 'dist', Number(process.env.E2E_PORT || 4173) + 8);
  await server.start();
  try {
    const violations = await recordViolations(page);
    const response = await page.goto(server.url);
    expect(response?.headers()['content-security-policy']).toBeUndefined();
    const app = new AppPage(page);
    await app.expectState('ready');
    await drawDigit(page, app.canvas, 2);
    await expect(app.predictedDigit).toHaveText('2');
    expect(violations.page).toEqual([]);
    expect(await violations.workers()).toEqual([]);
    expect(await inlineScriptRan(page)).toBe(false);
  } finally {
    await server.stop();
  }
});
