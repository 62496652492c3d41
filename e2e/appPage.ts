import { expect, type Locator, type Page } from '@playwright/test';

/** Page object for the playground: stable locators by data-testid. */
export class AppPage {
  readonly status: Locator;
  readonly imageCount: Locator;
  readonly sampleLabels: Locator;
  readonly errorMessage: Locator;
  readonly retryButton: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByTestId('app-status');
    this.imageCount = page.getByTestId('image-count');
    this.sampleLabels = page.getByTestId('sample-label');
    this.errorMessage = page.getByTestId('error-message');
    this.retryButton = page.getByTestId('retry-button');
  }

  /** Opens the app with optional URL query parameters (hyperparameters use the engine's names). */
  async goto(query: Record<string, string | number> = {}): Promise<void> {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
    await this.page.goto(qs ? `./?${qs}` : './');
  }

  async expectState(state: string, timeout?: number): Promise<void> {
    await expect(this.status).toHaveAttribute('data-state', state, { timeout });
  }
}
