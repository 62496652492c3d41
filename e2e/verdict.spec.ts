import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './appPage';
import { drawDigit, drawStrokes, type Digit } from './drawing';
import { junkDrawing } from '../scripts/junkStrokes';

async function settledVerdict(page: Page): Promise<string | null> {
  await expect(page.getByTestId('prediction-announcement')).toHaveText(/Looks like|Unsure|not look like a digit/);
  return page.getByTestId('prediction-verdict').getAttribute('data-verdict');
}

test.describe('honest answers', () => {
  test('a dot, a line and a cross are not read as digits; clear digits are; blank has no verdict', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    const verdict = page.getByTestId('prediction-verdict');
    await expect(verdict).toHaveAttribute('data-verdict', '');

    const junk: Record<string, (readonly (readonly [number, number])[])[]> = {
      dot: [[[0.5, 0.5]]],
      line: [
        [
          [0.15, 0.5],
          [0.85, 0.52],
        ],
      ],
      cross: [
        [
          [0.2, 0.2],
          [0.8, 0.8],
        ],
        [
          [0.8, 0.2],
          [0.2, 0.8],
        ],
      ],
    };
    for (const [name, strokes] of Object.entries(junk)) {
      await drawStrokes(page, app.canvas, strokes, { scale: 0.8 });
      expect(await settledVerdict(page), name).toMatch(/^(unsure|not-a-digit)$/);
      await expect(verdict).not.toContainText('%');
      await app.clearButton.click();
      await expect(verdict).toHaveAttribute('data-verdict', '');
    }

    for (const digit of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as Digit[]) {
      await drawDigit(page, app.canvas, digit);
      expect(await settledVerdict(page), `digit ${digit}`).toBe('digit');
      await expect(app.predictedDigit).toHaveText(String(digit));
      await expect(verdict).toHaveText(/^confidence \d{1,3}%$/);
      await app.clearButton.click();
    }
  });

  test('a circle with a cross and a smiley are not read as digits (the loops and ink-inside-a-loop checks)', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    const verdict = page.getByTestId('prediction-verdict');
    const ring = (cx: number, cy: number, r: number, n = 28): [number, number][] =>
      Array.from({ length: n + 2 }, (_, i) => [cx + r * Math.cos((-i / n) * 2 * Math.PI), cy + r * Math.sin((-i / n) * 2 * Math.PI)]);
    const junk: Record<string, (readonly (readonly [number, number])[])[]> = {
      'circle with a cross': [
        ring(0.5, 0.5, 0.42),
        [
          [0.22, 0.22],
          [0.78, 0.78],
        ],
        [
          [0.78, 0.22],
          [0.22, 0.78],
        ],
      ],
      smiley: [
        ring(0.5, 0.5, 0.45),
        [[0.36, 0.36]],
        [[0.64, 0.36]],
        Array.from(
          { length: 9 },
          (_, i) =>
            [0.5 + 0.22 * Math.cos(0.4 + (i / 8) * (Math.PI - 0.8)), 0.55 + 0.18 * Math.sin(0.4 + (i / 8) * (Math.PI - 0.8))] as [
              number,
              number,
            ],
        ),
      ],
    };
    for (const [name, strokes] of Object.entries(junk)) {
      await drawStrokes(page, app.canvas, strokes, { scale: 0.8 });
      expect(await settledVerdict(page), name).toMatch(/^(unsure|not-a-digit)$/);
      await expect(verdict).not.toContainText('%');
      await app.clearButton.click();
      await expect(verdict).toHaveAttribute('data-verdict', '');
    }
  });

  test('a plus, an H, a tall X, an A and an S the model alone reads as confident digits are not (the ink check)', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    const verdict = page.getByTestId('prediction-verdict');
    // Held-out junk drawings (scripts/junkStrokes.ts) that the verdict without the ink check reads as a confident
    // digit, and with it does not (checked in Node with the shipped model when this test was written).
    const drawings: [string, number][] = [
      ['cross (+)', 100001],
      ['letter H', 100006],
      ['letter X (tall)', 100001],
      ['letter A', 100000],
      ['letter S', 100000],
    ];
    for (const [kind, seed] of drawings) {
      // Every eighth point (the mouse is slow to drive); the pad joins them with straight lines.
      const strokes = junkDrawing(kind, seed).map((s) =>
        s.filter((_, i) => i % 8 === 0 || i === s.length - 1).map(({ x, y }) => [x, y] as const),
      );
      await drawStrokes(page, app.canvas, strokes, { scale: 1, steps: 1 });
      expect(await settledVerdict(page), `${kind} ${seed}`).toBe('not-a-digit');
      await app.clearButton.click();
      await expect(verdict).toHaveAttribute('data-verdict', '');
    }
  });

  test('the predicted digit is named by visible or visually hidden text, not aria-label', async ({ page }) => {
    const app = new AppPage(page);
    await app.goto();
    await app.expectState('ready');
    await drawDigit(page, app.canvas, 7);
    await expect(app.predictedDigit).toHaveText('7');
    expect(await app.predictedDigit.getAttribute('aria-label')).toBeNull();
    await expect(page.getByRole('region', { name: 'Prediction' })).toContainText('Predicted digit: 7');
  });
});
