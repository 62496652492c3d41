import { DIGIT_STROKES, type Digit } from './drawing';

type Path = readonly (readonly [number, number])[];

/** Leans the strokes to the right by `k` (x moves by k per unit of height above the centre). */
function italic(strokes: readonly Path[], k: number): Path[] {
  return strokes.map((p) => p.map(([x, y]) => [x + k * (0.5 - y), y] as const));
}

/** Turns the strokes clockwise by `deg` about the centre. */
function turned(strokes: readonly Path[], deg: number): Path[] {
  const c = Math.cos((deg * Math.PI) / 180);
  const s = Math.sin((deg * Math.PI) / 180);
  return strokes.map((p) => p.map(([x, y]) => [0.5 + (x - 0.5) * c - (y - 0.5) * s, 0.5 + (x - 0.5) * s + (y - 0.5) * c] as const));
}

/** A 1 with a long flag and no base, as many people write it (the shipped model reads a 9). */
const FLAGGED_ONE: Path[] = [
  [
    [0.25, 0.3],
    [0.55, 0.05],
    [0.55, 0.95],
  ],
];

/**
 * Twenty digits in one person's quirky hand: strongly italic or turned by 30°, ones with a flag.
 * The shipped model misreads about a third of them (measured: 4s, 6s and the flagged 1s).
 */
export const QUIRKY_DIGITS: readonly { digit: Digit; strokes: readonly Path[] }[] = Array.from({ length: 20 }, (_, i) => {
  const digit = (i % 10) as Digit;
  const first = i < 10;
  if (digit === 1) return { digit, strokes: FLAGGED_ONE };
  if (digit === 6 && !first) return { digit, strokes: italic(DIGIT_STROKES[6], 0.6) };
  return { digit, strokes: first ? italic(DIGIT_STROKES[digit], 0.9) : turned(DIGIT_STROKES[digit], 30) };
});
