import { expect, type Locator, type Page } from '@playwright/test';

/** Page object for the playground: stable locators by data-testid. */
export class AppPage {
  readonly status: Locator;
  readonly imageCount: Locator;
  readonly sampleLabels: Locator;
  readonly errorMessage: Locator;
  readonly retryButton: Locator;
  readonly trainButton: Locator;
  readonly pauseButton: Locator;
  readonly stopButton: Locator;
  readonly resetButton: Locator;
  readonly canvas: Locator;
  readonly clearButton: Locator;
  readonly predictedDigit: Locator;
  readonly testAccuracy: Locator;
  readonly backendName: Locator;
  readonly curves: Locator;
  readonly runVerdict: Locator;
  readonly runEstimate: Locator;
  readonly sparkline: Locator;
  readonly runBar: Locator;
  readonly myDigitsCount: Locator;
  readonly heldOutAccuracy: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByTestId('app-status');
    this.imageCount = page.getByTestId('image-count');
    this.sampleLabels = page.getByTestId('sample-label');
    this.errorMessage = page.getByTestId('error-message');
    this.retryButton = page.getByTestId('retry-button');
    this.trainButton = page.getByTestId('train-button');
    this.pauseButton = page.getByTestId('pause-button');
    this.stopButton = page.getByTestId('stop-button');
    this.resetButton = page.getByTestId('reset-button');
    this.canvas = page.getByTestId('draw-canvas');
    this.clearButton = page.getByTestId('clear-button');
    this.predictedDigit = page.getByTestId('predicted-digit');
    this.testAccuracy = page.getByTestId('test-accuracy');
    this.backendName = page.getByTestId('backend-name');
    this.curves = page.getByTestId('curves');
    this.runVerdict = page.getByTestId('run-verdict');
    this.runEstimate = page.getByTestId('run-estimate');
    this.sparkline = page.getByTestId('run-sparkline');
    this.runBar = page.getByTestId('run-bar');
    this.myDigitsCount = page.getByTestId('my-digits-count');
    this.heldOutAccuracy = page.getByTestId('my-digits-heldout-accuracy');
  }

  /** The button that labels the drawing as `digit`. */
  labelButton(digit: number): Locator {
    return this.page.getByTestId(`label-digit-${digit}`);
  }

  /** The ten probabilities shown (data-value of probability-0..9). */
  async probabilities(): Promise<number[]> {
    const out: number[] = [];
    for (let d = 0; d < 10; d++) out.push(Number(await this.page.getByTestId(`probability-${d}`).getAttribute('data-value')));
    return out;
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
