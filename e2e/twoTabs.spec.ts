import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit, type Digit } from './drawing';

/** Two tabs of the same browser: two pages in one context share IndexedDB and BroadcastChannel. */
async function twoTabs(context: import('@playwright/test').BrowserContext): Promise<[AppPage, AppPage]> {
  const tabs = [new AppPage(await context.newPage()), new AppPage(await context.newPage())] as [AppPage, AppPage];
  for (const t of tabs) {
    await t.goto();
    await t.expectState('ready');
  }
  return tabs;
}

const savedItem = (page: Page, name: string) => page.getByTestId('saved-model-item').filter({ hasText: name });

async function label(app: AppPage, digit: Digit): Promise<void> {
  await app.page.bringToFront(); // a background tab draws no frames
  await drawDigit(app.page, app.canvas, digit);
  const button = app.page.getByTestId(`label-digit-${digit}`);
  await expect(button).toBeEnabled();
  await button.click();
  await expect(app.canvas).toHaveAttribute('data-content', 'empty');
}

test.describe('two tabs, one truth', () => {
  test('a model saved in one tab appears in the other; deleted there, it goes here too, without reload', async ({ context }) => {
    const [a, b] = await twoTabs(context);
    await a.page.getByTestId('model-name-input').fill('from tab A');
    await a.page.getByTestId('save-button').click();
    await expect(savedItem(a.page, 'from tab A')).toHaveCount(1);
    await expect(savedItem(b.page, 'from tab A')).toHaveCount(1);

    const item = savedItem(b.page, 'from tab A');
    await item.getByTestId('delete-model-button').click();
    await item.getByTestId('confirm-delete-button').click();
    await expect(savedItem(b.page, 'from tab A')).toHaveCount(0);
    await expect(savedItem(a.page, 'from tab A')).toHaveCount(0);
  });

  test('a model deleted behind this tab’s back is refused whole on Load, and its entry disappears everywhere', async ({ context }) => {
    const [a, b] = await twoTabs(context);
    await a.page.getByTestId('model-name-input').fill('vanishing');
    await a.page.getByTestId('save-button').click();
    await expect(savedItem(b.page, 'vanishing')).toHaveCount(1);
    const description = await b.page.getByTestId('model-description').textContent();
    // Deleted straight from the database, with no announcement (as a tab that crashed mid-delete would leave it).
    await a.page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('mnist-playground');
          open.onsuccess = () => {
            const tx = open.result.transaction(['models', 'artifacts'], 'readwrite');
            tx.objectStore('models').clear();
            tx.objectStore('artifacts').clear();
            tx.oncomplete = () => (open.result.close(), resolve());
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    await expect(savedItem(b.page, 'vanishing')).toHaveCount(1);
    await savedItem(b.page, 'vanishing').getByTestId('load-model-button').click();
    await expect(b.page.getByTestId('library-note')).toContainText('That saved model no longer exists');
    await expect(savedItem(b.page, 'vanishing')).toHaveCount(0);
    await expect(savedItem(a.page, 'vanishing')).toHaveCount(0);
    // Nothing half-loaded: the model in use is the one before.
    await expect(b.page.getByTestId('model-description')).toHaveText(description ?? '');
    await expect(b.page.getByTestId('app-status')).not.toHaveAttribute('data-state', 'error');
  });

  test('digits labelled in both tabs, interleaved and at the same moment, all count in both, and after a reload', async ({ context }) => {
    test.setTimeout(240_000);
    const [a, b] = await twoTabs(context);
    const count = (t: AppPage) => t.page.getByTestId('my-digits-count');
    await expect(count(a)).toHaveAttribute('data-value', '0');
    for (const [tab, digit] of [
      [a, 1],
      [b, 7],
      [a, 3],
      [b, 4],
      [a, 0],
      [b, 2],
    ] as const)
      await label(tab, digit);
    await expect(count(a)).toHaveAttribute('data-value', '6');
    await expect(count(b)).toHaveAttribute('data-value', '6');
    // At the same moment: a drawing waits on each pad, and both label buttons are clicked together, three times.
    for (const [da, db] of [
      [5, 6],
      [8, 9],
      [1, 1],
    ] as const) {
      await a.page.bringToFront();
      await drawDigit(a.page, a.canvas, da);
      await b.page.bringToFront();
      await drawDigit(b.page, b.canvas, db);
      const buttons = [a.page.getByTestId(`label-digit-${da}`), b.page.getByTestId(`label-digit-${db}`)];
      for (const button of buttons) await expect(button).toBeEnabled();
      await Promise.all(buttons.map((button) => button.click()));
    }
    await expect(count(a)).toHaveAttribute('data-value', '12');
    await expect(count(b)).toHaveAttribute('data-value', '12');
    await a.page.reload();
    await a.expectState('ready');
    await expect(count(a)).toHaveAttribute('data-value', '12');
    // Deleting one in a tab removes it from the other's gallery too.
    await b.page.getByTestId('my-digit').first().getByRole('button').click();
    await expect(count(a)).toHaveAttribute('data-value', '11');
    await expect(count(b)).toHaveAttribute('data-value', '11');
  });
});
