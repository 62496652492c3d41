import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';

// A network blip while the page loads: the lazily loaded chunks (curves, insight views, experiments) fail to fetch.
// A retry asks for the same file under a fresh URL (`?retry=N`): the network is down for those too.
const LAZY = /\/assets\/(Curves|InsightSection|ExperimentsView)-[\w-]+\.(js|css)(\?.*)?$/;
const EXPERIMENTS = /\/assets\/ExperimentsView-[\w-]+\.(js|css)(\?.*)?$/;

/** The lazy views' stylesheets that are applied (a `<link>` that failed has a sheet whose rules cannot be read). */
const lazyStyles = (page: Page) =>
  page.evaluate(() => {
    const rules = (l: HTMLLinkElement) => {
      try {
        return l.sheet?.cssRules.length ?? 0;
      } catch {
        return 0;
      }
    };
    return Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]'))
      .filter((l) => /\/(InsightSection|ExperimentsView)-/.test(l.href) && rules(l) > 0)
      .map((l) => new URL(l.href).pathname.replace(/^\/assets\/|-[\w-]+\.css$/g, ''))
      .sort();
  });

test.describe('the network lost during the first load', () => {
  test('a lazy chunk whose first fetch fails is fetched again by itself: no error page, the views arrive', async ({ page }) => {
    const failed = new Set<string>();
    await page.route(LAZY, (route) => {
      const name = new URL(route.request().url()).pathname;
      if (failed.has(name)) return route.continue();
      failed.add(name);
      return route.abort('internetdisconnected');
    });
    const app = new AppPage(page);
    await app.goto();
    await expect(app.curves).toBeVisible();
    await expect(page.getByTestId('insight')).toBeVisible();
    await expect(page.getByTestId('experiments')).toBeVisible();
    expect(failed.size).toBeGreaterThanOrEqual(3);
    // A stylesheet that failed is loaded again too (not left as a dead <link>).
    await expect.poll(() => lazyStyles(page)).toEqual(['ExperimentsView', 'InsightSection']);
    await app.expectState('ready');
    await expect(page.getByTestId('lazy-load-error')).toHaveCount(0);
  });

  test('while the network stays down the views say so with Retry, the pad still reads; Retry once it is back loads them', async ({
    page,
  }) => {
    let down = true;
    await page.route(LAZY, (route) => (down ? route.abort('internetdisconnected') : route.continue()));
    const app = new AppPage(page);
    await app.goto();
    const errors = page.getByTestId('lazy-load-error');
    await expect(errors).toHaveCount(3, { timeout: 60_000 });
    for (const error of await errors.all())
      await expect(error).toContainText(
        /Could not load the (training curves|views inside the network|run history and its comparison): the network failed/,
      );
    // Not a crash: the page is not in its error state and the rest works.
    await app.expectState('ready');
    await drawDigit(page, app.canvas, 3);
    await expect(app.predictedDigit).toHaveText('3');
    down = false;
    for (const left of [2, 1, 0]) {
      await page.getByTestId('lazy-retry').first().click();
      await expect(errors).toHaveCount(left);
    }
    await expect(app.curves).toBeVisible();
    await expect(page.getByTestId('insight')).toBeVisible();
    await expect(page.getByTestId('experiments')).toBeVisible();
    await expect.poll(() => lazyStyles(page)).toEqual(['ExperimentsView', 'InsightSection']);
  });

  test('the experiments view that cannot load says so in its place, not as a page error; Retry brings it with the kept runs', async ({
    page,
  }) => {
    let down = true;
    const asked: string[] = [];
    await page.route(EXPERIMENTS, (route) => {
      asked.push(route.request().url());
      return down ? route.abort('internetdisconnected') : route.continue();
    });
    const app = new AppPage(page);
    await app.goto();
    const error = page.locator('.experiments-placeholder').getByTestId('lazy-load-error');
    await expect(error).toContainText('Could not load the run history and its comparison: the network failed', { timeout: 60_000 });
    // Tried again by itself before giving up (lazyChunk's retries), then stopped asking.
    expect(asked.length).toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('lazy-load-error')).toHaveCount(1);
    // The page-wide error boundary never took over: the app is ready and the rest of it works.
    await app.expectState('ready');
    await expect(page.getByRole('button', { name: 'Reload the page' })).toHaveCount(0);
    await expect(app.curves).toBeVisible();
    await drawDigit(page, app.canvas, 3);
    await expect(app.predictedDigit).toHaveText('3');

    down = false;
    await page.locator('.experiments-placeholder').getByTestId('lazy-retry').click();
    await expect(page.getByTestId('experiments')).toBeVisible();
    await expect(app.runItems).toHaveCount(1); // the shipped model's run, read by the history meanwhile
    await expect(page.getByTestId('lazy-load-error')).toHaveCount(0);
    await app.expectState('ready');
  });
});
