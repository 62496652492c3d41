import { expect, type Locator, type Page } from '@playwright/test';

/** The `?debug=1` hook (useTrainer.ts). */
interface DebugHook {
  send(message: unknown): Promise<unknown>;
  post(message: unknown): void;
}

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
  readonly runHistory: Locator;
  readonly runItems: Locator;
  readonly runCompare: Locator;
  readonly runDiff: Locator;
  readonly exportPython: Locator;
  readonly importInput: Locator;
  readonly importError: Locator;
  readonly modelDescription: Locator;
  readonly notice: Locator;
  readonly dismissErrorButton: Locator;
  readonly backendSelect: Locator;
  readonly runVerdict: Locator;
  readonly runEstimate: Locator;
  readonly sparkline: Locator;
  readonly runBar: Locator;
  readonly myDigitsCount: Locator;
  readonly heldOutAccuracy: Locator;
  readonly languageSelect: Locator;
  readonly languageRefused: Locator;
  readonly stepMode: Locator;
  readonly stepView: Locator;
  readonly stepExamplePad: Locator;
  readonly stepExampleRandom: Locator;
  readonly stepLabel: Locator;
  readonly stepButton: Locator;
  readonly stepTimes10: Locator;
  readonly stepTimes100: Locator;
  readonly stepUndo: Locator;
  readonly stepStages: Locator;
  readonly stepLossBefore: Locator;
  readonly stepLossAfter: Locator;
  readonly stepBack: Locator;
  readonly testReport: Locator;
  readonly weightsView: Locator;
  readonly dreamsView: Locator;
  readonly savedModels: Locator;
  readonly myDigits: Locator;
  readonly seeItThink: Locator;
  readonly experiments: Locator;
  readonly pythonPanel: Locator;

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
    this.runHistory = page.getByTestId('run-history');
    this.runItems = page.getByTestId('run-item');
    this.runCompare = page.getByTestId('run-compare');
    this.runDiff = page.getByTestId('run-diff');
    this.exportPython = page.getByTestId('export-python');
    this.importInput = page.getByTestId('import-input');
    this.importError = page.getByTestId('import-error');
    this.modelDescription = page.getByTestId('model-description');
    this.notice = page.getByTestId('notice');
    this.dismissErrorButton = page.getByTestId('dismiss-error');
    this.backendSelect = page.getByTestId('param-backend');
    this.runVerdict = page.getByTestId('run-verdict');
    this.runEstimate = page.getByTestId('run-estimate');
    this.sparkline = page.getByTestId('run-sparkline');
    this.runBar = page.getByTestId('run-bar');
    this.myDigitsCount = page.getByTestId('my-digits-count');
    this.heldOutAccuracy = page.getByTestId('my-digits-heldout-accuracy');
    this.languageSelect = page.getByTestId('language-select');
    this.languageRefused = page.getByTestId('language-refused');
    this.stepMode = page.getByTestId('step-mode');
    this.stepView = page.getByTestId('step-view');
    this.stepExamplePad = page.getByTestId('step-example-pad');
    this.stepExampleRandom = page.getByTestId('step-example-random');
    this.stepLabel = page.getByTestId('step-label');
    this.stepButton = page.getByTestId('step-button');
    this.stepTimes10 = page.getByTestId('step-times-10');
    this.stepTimes100 = page.getByTestId('step-times-100');
    this.stepUndo = page.getByTestId('step-undo');
    this.stepStages = page.getByTestId('step-stage');
    this.stepLossBefore = page.getByTestId('step-loss-before');
    this.stepLossAfter = page.getByTestId('step-loss-after');
    this.stepBack = page.getByTestId('step-back');
    this.testReport = page.getByTestId('test-report');
    this.weightsView = page.locator('section', { has: page.getByTestId('weight-grid') });
    this.dreamsView = page.locator('section', { has: page.getByTestId('dream-button') });
    this.savedModels = page.getByTestId('saved-models');
    this.myDigits = page.getByTestId('my-digits');
    this.seeItThink = page.getByTestId('see-it-think');
    this.experiments = page.getByTestId('experiments');
    this.pythonPanel = page.getByTestId('python-panel');
  }

  /**
   * With `?debug=1`: sends `{ type, ...params }` to the worker as a request (what a click racing the
   * page could send, or what the page never would); resolves with the reply's value, or `{ error }`.
   */
  send(message: Record<string, unknown>): Promise<unknown> {
    return this.page.evaluate((m) => (window as unknown as { __playground: DebugHook }).__playground.send(m), message);
  }

  /** With `?debug=1`: posts anything to the worker as it is (no id, so no reply). */
  post(message: unknown): Promise<void> {
    return this.page.evaluate((m) => (window as unknown as { __playground: DebugHook }).__playground.post(m), message);
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
