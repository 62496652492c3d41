import { expect, test } from '@playwright/test';
import { AppPage } from './appPage';

/** "WASM 27k/s · WebGL 3.8k/s · cpu 2.1k/s → WASM": one lane per backend that ran, then the winner. */
const RACE = /^(?:(?:WebGPU|WebGL|WASM|cpu) (?:[\d.]+k?\/s|did not start)(?: · |(?= → )))+ → (WebGPU|WebGL|WASM|cpu)/;

test.describe("auto's backend race", () => {
  test('auto times each backend on real steps, shows the race, trains on the winner, and remembers the verdict', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    await page.locator('.backend-details summary').click();
    const note = page.getByTestId('backend-note');
    await expect(note).toBeVisible();
    await expect(note).toHaveText(RACE);
    const text = (await note.textContent())!;
    // This browser has WebGL (SwiftShader here), WASM and cpu: all three ran.
    for (const lane of ['WebGL', 'WASM', 'cpu']) expect(text).toMatch(new RegExp(`${lane} [\\d.]+k?/s`));
    // The winner is the fastest lane, and it is the backend the page reports.
    const rates = [...text.matchAll(/(WebGPU|WebGL|WASM|cpu) ([\d.]+)(k?)\/s/g)].map((m) => ({
      name: m[1]!,
      rate: Number(m[2]) * (m[3] ? 1000 : 1),
    }));
    const fastest = rates.reduce((a, b) => (b.rate > a.rate ? b : a));
    const winner = RACE.exec(text)![1]!;
    expect(winner).toBe(fastest.name);
    await expect(app.backendName).toHaveText(winner === 'cpu' ? 'CPU' : winner);

    // The verdict is remembered for this shape and browser: the next visit does not race again.
    await page.reload();
    await app.expectState('ready');
    await page.locator('.backend-details summary').click();
    await expect(note).toHaveText(/, measured before/);
    expect((await note.textContent())!.replace(', measured before', '')).toBe(text);
  });

  test('an explicit backend is honoured: no race for it', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto({ backend: 'cpu', trainSize: 200, epochs: 1 });
    await app.expectState('ready');
    // From the first load: the worker starts the named backend, it does not race the others first.
    await expect(app.backendName).toHaveText('CPU');
    await expect(page.getByTestId('backend-race')).toHaveCount(0);
    await expect(page.getByTestId('backend-note')).toHaveCount(0);
    // Its own lane was timed: the estimate under Train has a figure before any run.
    await expect(page.getByTestId('run-estimate')).toHaveAttribute('data-seconds', /^\d+\.\d$/);
    await app.trainButton.click();
    await expect(app.backendName).toHaveText('CPU');
    await app.expectState('done', 90_000);
    await expect(page.getByTestId('backend-note')).toHaveCount(0);
  });
});
