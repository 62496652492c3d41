/** Axis ticks at round numbers (1, 2, 5 × 10^k steps). Pure. */

/** A round step near (max - min) / count: 1, 2 or 5 times a power of ten. */
export function niceStep(min: number, max: number, count: number): number {
  const span = max - min;
  if (!(span > 0) || count < 1) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;
}

/** Ticks from the first multiple of the step at or above `min` to `max`, about `count` of them. */
export function niceTicks(min: number, max: number, count: number): number[] {
  const step = niceStep(min, max, count);
  const out: number[] = [];
  const first = Math.ceil(min / step - 1e-9) * step;
  for (let v = first; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** A domain [lo, hi] widened to round numbers (the axis ends on ticks). */
export function niceDomain(min: number, max: number, count: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) return [min - 0.5, max + 0.5];
  const step = niceStep(min, max, count);
  return [Math.floor(min / step + 1e-9) * step, Math.ceil(max / step - 1e-9) * step];
}
