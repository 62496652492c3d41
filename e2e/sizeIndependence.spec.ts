import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit, type Digit } from './drawing';

/** Total ink of the 28x28 image the model was given (the preview canvas), px of full ink. */
async function inputInk(page: Page): Promise<number> {
  return page.getByTestId('model-input-preview').evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += (data[i] as number) / 255;
    return sum;
  });
}

/** The answer for the finished drawing: waits for the announcement of a settled prediction, then reads the digit. */
async function answer(page: Page, app: AppPage): Promise<string> {
  await expect(page.getByTestId('prediction-announcement')).toHaveText(/Looks like|Unsure|not look like a digit/);
  await expect(page.getByTestId('prediction-verdict')).toHaveAttribute('data-verdict', /^(digit|unsure|not-a-digit)$/);
  return (await app.predictedDigit.textContent()) ?? '';
}

test('a digit drawn at 25% of the pad reads the same as at 80% (shipped model, first visit)', async ({ page }) => {
  const app = new AppPage(page);
  await app.goto();
  await app.expectState('ready');
  for (const digit of [2, 3, 4, 7] as Digit[]) {
    // Small and off-centre, in the upper left quarter.
    await drawDigit(page, app.canvas, digit, { scale: 0.25, centerX: 0.3, centerY: 0.3 });
    const small = await answer(page, app);
    const smallInk = await inputInk(page);
    await app.clearButton.click();
    await expect(page.getByTestId('prediction-verdict')).toHaveAttribute('data-verdict', '');
    await drawDigit(page, app.canvas, digit, { scale: 0.8 });
    const large = await answer(page, app);
    expect(small, `digit ${digit}`).toBe(large);
    expect(large).toBe(String(digit));
    await expect(page.getByTestId('prediction-verdict')).toHaveAttribute('data-verdict', 'digit');
    // The model saw (nearly) the same picture, not a blob: the same amount of ink within 10%.
    const largeInk = await inputInk(page);
    expect(Math.abs(smallInk - largeInk) / largeInk, `digit ${digit}: ink ${smallInk.toFixed(0)} vs ${largeInk.toFixed(0)}`).toBeLessThan(
      0.1,
    );
    await app.clearButton.click();
  }
});
