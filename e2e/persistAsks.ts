import type { Page } from '@playwright/test';

/**
 * Counts the page's calls of `navigator.storage.persist()` (passed on to the browser's own); returns
 * a reader of the count.
 */
export async function countPersistAsks(page: Page): Promise<() => Promise<number>> {
  await page.addInitScript(() => {
    const storage = navigator.storage;
    const persist = storage.persist.bind(storage);
    const w = window as unknown as { __persistAsks: number };
    w.__persistAsks = 0;
    storage.persist = () => {
      w.__persistAsks++;
      return persist();
    };
  });
  return () => page.evaluate(() => (window as unknown as { __persistAsks: number }).__persistAsks);
}
