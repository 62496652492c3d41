import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeInkCheck, junkScore, looksLikeJunk, type InkCheckFile } from './inkCheck';
import { strokesToInput } from './strokeInput';
import { junkDrawing } from '../../scripts/junkStrokes';
import { DIGIT_STROKES, type Digit } from '../../e2e/drawing';
import { QUIRKY_DIGITS } from '../../e2e/quirkyDigits';
import type { Stroke } from './strokes';
import { topTwo } from './verdict';
import { loadReferenceModel } from '../../scripts/referenceModel';

const file = JSON.parse(readFileSync(new URL('../../public/models/ink-check.json', import.meta.url), 'utf8')) as InkCheckFile;

/** Paths 0..1 as the e2e hand draws them (drawStrokes: scale, centre, 4 mouse steps between points) on a 320-px pad. */
function asDrawn(paths: readonly (readonly (readonly [number, number])[])[], scale = 0.7, cx = 0.5, cy = 0.5): Stroke[] {
  const at = ([x, y]: readonly [number, number]) => ({
    x: Math.round((cx + (x - 0.5) * scale) * 320) / 320,
    y: Math.round((cy + (y - 0.5) * scale) * 320) / 320,
  });
  return paths.map((p) => {
    const out: Stroke = [at(p[0] as [number, number])];
    for (let i = 1; i < p.length; i++) {
      const a = at(p[i - 1] as [number, number]);
      const b = at(p[i] as [number, number]);
      for (let s = 1; s <= 4; s++) out.push({ x: a.x + ((b.x - a.x) * s) / 4, y: a.y + ((b.y - a.y) * s) / 4 });
    }
    return out;
  });
}

describe('the ink check', () => {
  const check = decodeInkCheck(file);

  it('decodes the shipped file: a hidden layer, ten limits inside (0, 1], some of them below 1', () => {
    expect(check.hidden).toBe(file.hidden);
    expect(check.w1).toHaveLength(file.hidden * 784);
    expect(check.limits).toHaveLength(10);
    for (const l of check.limits) {
      expect(l).toBeGreaterThan(0);
      expect(l).toBeLessThanOrEqual(1);
    }
    expect(Math.min(...check.limits)).toBeLessThan(0.99);
  });

  it('scores a blank pad and any input in [0, 1]', () => {
    const s = junkScore(check, new Float32Array(784));
    expect(s).toBeGreaterThanOrEqual(0);
    expect(s).toBeLessThanOrEqual(1);
  });

  it('passes the e2e hand’s digits at three sizes, and most of the quirky hand’s', () => {
    const flagged: string[] = [];
    for (let d = 0; d < 10; d++)
      for (const scale of [0.4, 0.7, 0.9]) {
        const x = strokesToInput(asDrawn(DIGIT_STROKES[d as Digit], scale));
        if (x && looksLikeJunk(check, x, d)) flagged.push(`${d} at ${scale}`);
      }
    expect(flagged).toEqual([]);
    const quirky = QUIRKY_DIGITS.filter(({ digit, strokes }) => {
      const x = strokesToInput(asDrawn(strokes));
      return x !== null && looksLikeJunk(check, x, digit);
    });
    expect(quirky.length).toBeLessThanOrEqual(2);
  });

  it('flags most held-out letters H, crosses (+) and letters S it never trained on, as the digit the model reads', async () => {
    const { classify, dispose } = await loadReferenceModel();
    for (const kind of ['letter H', 'cross (+)', 'letter S']) {
      const inputs = Array.from({ length: 40 }, (_, i) => strokesToInput(junkDrawing(kind, 100000 + i))).filter((x) => x !== null);
      const flagged = inputs.filter((x) => looksLikeJunk(check, x, topTwo(classify(x)).digit)).length;
      expect(flagged / inputs.length, kind).toBeGreaterThan(0.8);
    }
    dispose();
  });

  it('refuses malformed files with a reason', () => {
    const bad: [string, unknown][] = [
      ['format', { ...file, format: 'ink-check-0' }],
      ['units', { ...file, units: file.units.slice(1) }],
      ['weights', { ...file, out: { ...file.out, weights: file.out.weights.slice(1) } }],
      ['base64', { ...file, units: [{ ...file.units[0], data: '***' }, ...file.units.slice(1)] }],
      ['short unit', { ...file, units: [{ ...file.units[0], data: 'AAAA' }, ...file.units.slice(1)] }],
      ['limits', { ...file, limits: file.limits.slice(1) }],
      ['limit', { ...file, limits: [...file.limits.slice(1), 'high'] }],
      ['limit 0', { ...file, limits: [...file.limits.slice(1), 0] }],
      ['hidden', { ...file, hidden: 0 }],
    ];
    for (const [what, f] of bad) expect(() => decodeInkCheck(f as InkCheckFile), what).toThrow(/^ink check: /);
  });
});
