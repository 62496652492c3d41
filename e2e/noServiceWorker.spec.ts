import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';

/** Page errors and console errors, collected from the start. */
function problems(page: Page): string[] {
  const seen: string[] = [];
  page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.push(`console: ${m.text()}`);
  });
  return seen;
}

async function works(page: Page, app: AppPage): Promise<void> {
  await app.expectState('ready');
  await drawDigit(page, app.canvas, 4);
  await expect(app.predictedDigit).toHaveText('4');
}

test.describe('where no service worker can register', () => {
  // playwright.config.ts blocks service workers: register() then resolves with nothing, as some browsers do.
  test('registration that yields nothing: the page works and says offline use is off, with no error logged', async ({ page }) => {
    const seen = problems(page);
    const app = new AppPage(page);
    await app.goto();
    await works(page, app);
    await expect(page.getByTestId('offline-off')).toContainText('Offline use is off');
    await expect(page.getByTestId('offline-off')).toContainText('Everything else works');
    expect(seen.filter((s) => /waiting|serviceWorker|service worker/i.test(s))).toEqual([]);
  });

  test('no navigator.serviceWorker at all (a private window, a setting): the same', async ({ page }) => {
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined }));
    const seen = problems(page);
    const app = new AppPage(page);
    await app.goto();
    await works(page, app);
    await expect(page.getByTestId('offline-off')).toContainText('no service workers here');
    expect(seen.filter((s) => /waiting|serviceWorker/i.test(s))).toEqual([]);
  });

  test('registration refused with an error: the page works and says so; OK hides the line', async ({ page }) => {
    await page.addInitScript(() => {
      ServiceWorkerContainer.prototype.register = () => Promise.reject(new DOMException('Service workers are disabled.', 'SecurityError'));
    });
    const app = new AppPage(page);
    await app.goto();
    await works(page, app);
    const off = page.getByTestId('offline-off');
    await expect(off).toContainText('the browser refused it (Service workers are disabled.)');
    await off.getByRole('button', { name: 'OK' }).click();
    await expect(off).toHaveCount(0);
  });
});
