import type { Locator, Page } from '@playwright/test';

/** A digit a person might draw. */
export type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/** Points 0..1 in the digit's own square (x right, y down). */
type Path = readonly (readonly [number, number])[];

function ellipse(cx: number, cy: number, rx: number, ry: number, n: number): Path {
  // Starts at the top and goes anticlockwise on screen, the way most people draw a 0; closes with overlap.
  return Array.from({ length: n + 2 }, (_, i) => {
    const a = -Math.PI / 2 - (i / n) * 2 * Math.PI;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)] as const;
  });
}

/** Pen strokes for each digit, in the shapes MNIST writers used most. */
export const DIGIT_STROKES: Record<Digit, readonly Path[]> = {
  0: [ellipse(0.5, 0.5, 0.3, 0.45, 24)],
  1: [
    [
      [0.56, 0.05],
      [0.53, 0.5],
      [0.5, 0.95],
    ],
  ],
  2: [
    [
      [0.2, 0.28],
      [0.3, 0.1],
      [0.5, 0.04],
      [0.7, 0.1],
      [0.78, 0.28],
      [0.7, 0.48],
      [0.5, 0.66],
      [0.2, 0.95],
      [0.85, 0.95],
    ],
  ],
  3: [
    [
      [0.2, 0.12],
      [0.5, 0.03],
      [0.78, 0.15],
      [0.75, 0.35],
      [0.45, 0.48],
      [0.78, 0.6],
      [0.82, 0.8],
      [0.55, 0.97],
      [0.2, 0.88],
    ],
  ],
  4: [
    [
      [0.6, 0.05],
      [0.15, 0.65],
      [0.85, 0.65],
    ],
    [
      [0.62, 0.3],
      [0.62, 0.98],
    ],
  ],
  5: [
    [
      [0.78, 0.05],
      [0.3, 0.05],
      [0.25, 0.45],
      [0.5, 0.4],
      [0.75, 0.5],
      [0.8, 0.72],
      [0.65, 0.93],
      [0.4, 0.97],
      [0.2, 0.88],
    ],
  ],
  6: [
    [
      [0.7, 0.05],
      [0.45, 0.2],
      [0.28, 0.45],
      [0.22, 0.7],
      [0.35, 0.93],
      [0.6, 0.95],
      [0.75, 0.78],
      [0.68, 0.58],
      [0.45, 0.55],
      [0.26, 0.68],
    ],
  ],
  7: [
    [
      [0.18, 0.08],
      [0.82, 0.08],
      [0.62, 0.45],
      [0.45, 0.95],
    ],
  ],
  8: [
    [
      [0.72, 0.18],
      [0.5, 0.04],
      [0.28, 0.18],
      [0.32, 0.36],
      [0.5, 0.48],
      [0.7, 0.62],
      [0.74, 0.82],
      [0.5, 0.96],
      [0.26, 0.82],
      [0.3, 0.62],
      [0.5, 0.48],
      [0.68, 0.36],
      [0.72, 0.18],
    ],
  ],
  9: [
    [
      [0.75, 0.25],
      [0.6, 0.06],
      [0.35, 0.08],
      [0.25, 0.28],
      [0.4, 0.45],
      [0.65, 0.4],
      [0.75, 0.25],
      [0.72, 0.6],
      [0.65, 0.95],
    ],
  ],
};

export interface DrawOptions {
  /** Size of the digit as a fraction of the canvas side. Default 0.7. */
  scale?: number;
  /** Where the digit's centre goes, as fractions of the canvas width and height. Default 0.5, 0.5. */
  centerX?: number;
  centerY?: number;
  /** Mouse moves between two points of a path (more: smoother, slower). Default 4. */
  steps?: number;
}

/**
 * Draws strokes (points 0..1 in the digit's square) on the canvas with the mouse:
 * one press-move-release per stroke, scaled to the canvas's bounding box.
 */
export async function drawStrokes(page: Page, canvas: Locator, strokes: readonly Path[], options: DrawOptions = {}): Promise<void> {
  const { scale = 0.7, centerX = 0.5, centerY = 0.5, steps = 4 } = options;
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('drawStrokes: the canvas is not visible');
  const at = ([x, y]: readonly [number, number]) => ({
    x: box.x + (centerX + (x - 0.5) * scale) * box.width,
    y: box.y + (centerY + (y - 0.5) * scale) * box.height,
  });
  for (const path of strokes) {
    const first = path[0];
    if (!first) continue;
    const start = at(first);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    for (const point of path.slice(1)) {
      const p = at(point);
      await page.mouse.move(p.x, p.y, { steps });
    }
    await page.mouse.up();
  }
}

/** Draws a plausible handwritten `digit` on the drawing canvas (see DIGIT_STROKES). */
export async function drawDigit(page: Page, canvas: Locator, digit: Digit, options?: DrawOptions): Promise<void> {
  await drawStrokes(page, canvas, DIGIT_STROKES[digit], options);
}
