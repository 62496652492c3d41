/**
 * Strokes in normalised coordinates (0..1 across the drawing square), so one set of
 * strokes renders at any canvas size: the visible canvas (CSS size x devicePixelRatio)
 * and the fixed-size ink canvas that preprocessing reads.
 */

/** A point, 0..1 from the drawing square's left and top edges. */
export interface StrokePoint {
  x: number;
  y: number;
}

/** One pointer-down-to-pointer-up stroke. */
export type Stroke = StrokePoint[];

/**
 * Pen width as a fraction of the canvas side. A digit drawn over ~70% of the square
 * becomes 20 px tall in the 28x28 input with strokes ~2.3 px wide, like MNIST's.
 */
export const LINE_WIDTH_FRACTION = 0.08;

/** Points closer than this (normalised) to the previous one are dropped: they add nothing to the curve. */
export const MIN_POINT_DISTANCE = 0.002;

/** Appends `p` unless it is within MIN_POINT_DISTANCE of the stroke's last point; true when appended. */
export function addPoint(stroke: Stroke, p: StrokePoint): boolean {
  const last = stroke[stroke.length - 1];
  if (last && Math.hypot(p.x - last.x, p.y - last.y) < MIN_POINT_DISTANCE) return false;
  stroke.push({ x: Math.min(1, Math.max(0, p.x)), y: Math.min(1, Math.max(0, p.y)) });
  return true;
}

/**
 * Strokes `strokes` onto a `size` x `size` area of `ctx` in `color`: smooth quadratic
 * curves through the midpoints of successive points, round caps and joins, width
 * LINE_WIDTH_FRACTION * size. A single point becomes a round dot.
 */
export function renderStrokes(ctx: CanvasRenderingContext2D, strokes: readonly Stroke[], size: number, color: string): void {
  const w = LINE_WIDTH_FRACTION * size;
  ctx.save();
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = w;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  for (const stroke of strokes) {
    const first = stroke[0];
    if (!first) continue;
    if (stroke.length === 1) {
      ctx.beginPath();
      ctx.arc(first.x * size, first.y * size, w / 2, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(first.x * size, first.y * size);
    for (let i = 1; i < stroke.length - 1; i++) {
      const p = stroke[i] as StrokePoint;
      const q = stroke[i + 1] as StrokePoint;
      ctx.quadraticCurveTo(p.x * size, p.y * size, ((p.x + q.x) / 2) * size, ((p.y + q.y) / 2) * size);
    }
    const last = stroke[stroke.length - 1] as StrokePoint;
    ctx.lineTo(last.x * size, last.y * size);
    ctx.stroke();
  }
  ctx.restore();
}
