import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit } from './drawing';
import { countPersistAsks } from './persistAsks';

/**
 * Makes every IndexedDB write transaction abort with a QuotaExceededError as its error, as Chrome's do
 * when the origin's quota is used up, in the page and in the training worker (whose script is served
 * with the same patch in front), switched on and off over a BroadcastChannel. Why not Chrome's own
 * quota: its override through CDP (Storage.overrideQuotaForOrigin) bound neither the databases that
 * already existed nor the worker's, here.
 */
function diskFullPatch(): void {
  let full = false;
  new BroadcastChannel('e2e-disk-full').onmessage = (e: MessageEvent<boolean>) => (full = e.data);
  for (const method of ['add', 'put'] as const) {
    const original = IDBObjectStore.prototype[method];
    IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: Parameters<typeof original>) {
      const request = original.apply(this, args);
      const tx = this.transaction;
      if (full && !Object.hasOwn(tx, 'error')) {
        // As at a real commit: the requests go in, then the transaction aborts with the quota error.
        Object.defineProperty(tx, 'error', { value: new DOMException('The quota has been exceeded.', 'QuotaExceededError') });
        request.addEventListener('success', () => tx.abort());
      }
      return request;
    };
  }
}

async function diskFullSwitch(page: Page): Promise<(full: boolean) => Promise<void>> {
  await page.addInitScript(diskFullPatch);
  await page.route(/\/assets\/trainer\.worker-[\w-]+\.js$/, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: `(${diskFullPatch.toString()})();\n${await res.text()}` });
  });
  return async (full) => {
    await page.evaluate((f) => new BroadcastChannel('e2e-disk-full').postMessage(f), full);
  };
}

test.describe('full storage', () => {
  test('a label that does not fit keeps the drawing on the pad, says what to delete, and loses no digit stored before', async ({
    page,
  }) => {
    const diskFull = await diskFullSwitch(page);
    const persistAsks = await countPersistAsks(page);
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    expect(await persistAsks()).toBe(0); // nothing saved yet (the shipped run stored on a first visit does not ask)
    const count = page.getByTestId('my-digits-count');
    const message = page.getByTestId('my-digits-message');
    await drawDigit(page, app.canvas, 4);
    await page.getByTestId('label-digit-4').click();
    await expect(count).toHaveAttribute('data-value', '1');
    // The first save asks the browser to keep the page's storage.
    await expect.poll(persistAsks).toBe(1);
    await expect(page.getByTestId('storage-usage')).toContainText(/This page keeps [\d.]+ (KB|MB) in this browser/);

    await diskFull(true);
    await drawDigit(page, app.canvas, 7);
    await page.getByTestId('label-digit-7').click();
    await expect(message).toContainText(
      /^Storage is full: delete saved models or some of your digits \(this page uses [\d.]+ (KB|MB)\)\. The digit was not kept; nothing stored before was lost\.$/,
    );
    // The drawing stays on the pad, ready to label again once there is room.
    await expect(app.canvas).toHaveAttribute('data-content', 'drawing');
    await expect(page.getByTestId('label-digit-7')).toBeEnabled();
    await expect(count).toHaveAttribute('data-value', '1');
    await expect(app.status).toHaveAttribute('data-state', 'ready');

    // An import that does not fit stores none of its digits.
    const file = JSON.stringify({
      format: 'mnist-playground-digits',
      version: 1,
      count: 2,
      labels: [1, 2],
      pixels: Buffer.alloc(1568).toString('base64'),
    });
    await page
      .getByTestId('my-digits-import')
      .setInputFiles({ name: 'two.digits.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await expect(message).toContainText(/two\.digits\.json was not imported: Storage is full: .*The 2 digits were not kept/);
    await expect(count).toHaveAttribute('data-value', '1');

    // Room again: the same drawing goes in; and after a reload everything is there.
    await diskFull(false);
    await page.getByTestId('label-digit-7').click();
    await expect(count).toHaveAttribute('data-value', '2');
    await expect(app.canvas).toHaveAttribute('data-content', 'empty');
    expect(await persistAsks()).toBe(1); // later saves do not ask again
    await page.reload();
    await app.expectState('ready');
    await expect(count).toHaveAttribute('data-value', '2');
    await expect(page.getByTestId('my-digit').first()).toHaveAttribute('data-label', '4');
  });

  test('a model save that does not fit keeps the typed name and says what to delete; the models saved before stay', async ({ page }) => {
    const diskFull = await diskFullSwitch(page);
    const persistAsks = await countPersistAsks(page);
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    expect(await persistAsks()).toBe(0);
    const name = page.getByTestId('model-name-input');
    await name.fill('kept');
    await page.getByTestId('save-button').click();
    await expect(page.getByTestId('saved-model-item').filter({ hasText: 'kept' })).toHaveCount(1);
    await expect.poll(persistAsks).toBe(1);

    await diskFull(true);
    await name.fill('too big');
    await page.getByTestId('save-button').click();
    await expect(page.getByTestId('library-note')).toContainText(
      /^Storage is full: delete saved models or some of your digits \(this page uses [\d.]+ (KB|MB)\)\. “too big” was not saved; nothing stored before was lost\.$/,
    );
    await expect(name).toHaveValue('too big');
    await expect(page.getByTestId('saved-model-item')).toHaveCount(1);
    await expect(app.status).toHaveAttribute('data-state', 'ready');

    await diskFull(false);
    await page.getByTestId('save-button').click();
    await expect(page.getByTestId('saved-model-item')).toHaveCount(2);
    await expect(name).toHaveValue('');
    expect(await persistAsks()).toBe(1);
  });
});
