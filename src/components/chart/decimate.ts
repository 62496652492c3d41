/**
 * Fewer points for a chart that shows the same line: a chart draws at most a few hundred
 * points however long the run (STYLE item 12). Min-max decimation: the x range is cut into
 * buckets and each keeps its lowest and highest point in x order, so spikes and the line's
 * envelope survive; the first and last points are always kept (the live edge stays exact).
 * Pure; the caller keeps the full series (run records read that).
 */

/** Points a chart line draws at most. */
export const MAX_CHART_POINTS = 300;

/**
 * At most `max` points of `points` (in x order), as described above; the array itself when it
 * is short enough.
 * @param y the value whose envelope is kept.
 */
export function decimate<T>(points: readonly T[], max: number, y: (p: T) => number): readonly T[] {
  const n = points.length;
  if (n <= max || max < 4) return points;
  const inner = n - 2;
  const buckets = Math.floor((max - 2) / 2);
  const out: T[] = [points[0]!];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      const v = y(points[i]!);
      if (v < y(points[lo]!)) lo = i;
      if (v > y(points[hi]!)) hi = i;
    }
    if (lo === hi) out.push(points[lo]!);
    else out.push(points[Math.min(lo, hi)]!, points[Math.max(lo, hi)]!);
  }
  out.push(points[n - 1]!);
  return out;
}
