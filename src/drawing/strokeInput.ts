/**
 * The model's 28x28 input from the pad's strokes, with a pen as wide relative to the
 * digit as MNIST's pen was: a digit drawn in a fifth of the pad reaches the model like
 * one drawn across the whole pad. (On screen the pen keeps its fixed width; only the
 * model's copy is re-rendered.)
 *
 * The strokes are rasterised (see strokeRaster.ts) around their own extent at ~4x the
 * final resolution, then normalised like MNIST by {@link preprocessInk} (20-px box,
 * centre of mass at (14, 14)).
 */
import { MNIST_BOX, preprocessInk } from './preprocess';
import { rasterizeStrokes, strokeExtent } from './strokeRaster';
import type { Stroke } from './strokes';

/**
 * Width of an MNIST digit's strokes in its 20-px box, px: the median over the 10,000
 * test digits of total ink / skeleton length (2.44 px; quartiles 2.04 and 2.99; see
 * scripts/measureDrawing.ts).
 */
export const MNIST_PEN_WIDTH = 2.4;

/** Side of the ink box (centre line + pen) in the intermediate raster, px: 4x the 20-px box, so the area average anti-aliases. */
export const RASTER_BOX = 80;

/** Narrowest pen, in pad units (0..1): what a dot or a tiny mark is drawn with. */
const MIN_PEN = 1e-3;

/**
 * How wide the pen is on the model's copy of the drawing:
 * `proportional` - `width` px in the 20-px box whatever the digit's size (the pad's);
 * `fixed` - a fraction of the pad, rasterised at `canvas` px (the pad before this, for comparison).
 */
export type PenModel = { kind: 'proportional'; width: number } | { kind: 'fixed'; fraction: number; canvas: number };

export const PROPORTIONAL_PEN: PenModel = { kind: 'proportional', width: MNIST_PEN_WIDTH };

/**
 * Pen width (pad units) that makes strokes `width` px wide once a drawing whose centre
 * line spans `side` (pad units, longer side) is scaled to the 20-px box: the ink box is
 * side + pen, so pen / (side + pen) = width / 20.
 */
export function proportionalPenWidth(side: number, width = MNIST_PEN_WIDTH): number {
  return Math.max(MIN_PEN, (side * width) / (MNIST_BOX - width));
}

/**
 * The model's input for `strokes` (points 0..1 of the pad).
 * @returns [784] pixels 0..1, white ink on black, row-major; null when there are no points.
 */
export function strokesToInput(strokes: readonly Stroke[], pen: PenModel = PROPORTIONAL_PEN): Float32Array | null {
  if (pen.kind === 'fixed') {
    const s = pen.canvas;
    return preprocessInk(rasterizeStrokes(strokes, { scale: s, tx: 0, ty: 0 }, pen.fraction * s, { width: s, height: s }));
  }
  const ext = strokeExtent(strokes);
  if (!ext) return null;
  const w = ext.x1 - ext.x0;
  const h = ext.y1 - ext.y0;
  const p = proportionalPenWidth(Math.max(w, h), pen.width);
  const k = RASTER_BOX / (Math.max(w, h) + p);
  const margin = 2;
  const width = Math.ceil((w + p) * k) + 2 * margin;
  const height = Math.ceil((h + p) * k) + 2 * margin;
  const img = rasterizeStrokes(strokes, { scale: k, tx: margin + (p / 2 - ext.x0) * k, ty: margin + (p / 2 - ext.y0) * k }, p * k, {
    width,
    height,
  });
  return preprocessInk(img);
}
