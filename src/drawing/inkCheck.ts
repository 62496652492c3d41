/**
 * Is this ink a digit at all? A tiny network (784 pixels -> a hidden layer -> one score)
 * trained to tell drawings that are not digits (scripts/junkStrokes.ts: crosses, letters,
 * zigzags, smileys, random walks...) from digits: MNIST training images as they are,
 * redrawn as pad strokes, and drawn by the same hand as the junk. It never sees the
 * classifier, so it works the same for the shipped model and for one trained in the page.
 *
 * Its limits, one per predicted digit, refuse as few held-out training digits as they can
 * while letting through at most 3% of a calibration set of junk (scripts/inkCheckLimits.ts);
 * the README's junk table gives what it catches on other seeds and what it costs real
 * digits. What it cannot know: a kind of junk the generator does not draw.
 *
 * The data (public/models/ink-check.json) is made by scripts/buildInkCheck.ts; the
 * functions here are pure, apart from the loader.
 */
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import { fromBase64 } from '../shared/base64';

export const INK_CHECK_FORMAT = 'ink-check-1';

/** The file: the hidden layer's weights as int8 per unit (with its scale), the rest as numbers. */
export interface InkCheckFile {
  format: typeof INK_CHECK_FORMAT;
  hidden: number;
  /** Per hidden unit: base64 int8 weights [784] and their scale. */
  units: { scale: number; data: string; bias: number }[];
  /** Output layer: one weight per hidden unit, and a bias. */
  out: { weights: number[]; bias: number };
  /** Per predicted digit 0-9: scores above it are not a digit. */
  limits: number[];
  /** How it was made (for people; not read). */
  about?: Record<string, unknown>;
}

export interface InkCheck {
  hidden: number;
  /** [hidden * 784], unit-major. */
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: number;
  /** [10]: per predicted digit, scores above it are not a digit. */
  limits: Float32Array;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Decodes and checks an ink-check file; throws on anything malformed. */
export function decodeInkCheck(file: InkCheckFile): InkCheck {
  const bad = (why: string) => new Error(`ink check: ${why}`); // i18n-ignore: a programming error, never shown
  if (!file || file.format !== INK_CHECK_FORMAT) throw bad(`not an ${INK_CHECK_FORMAT} file`); // i18n-ignore: a programming error, never shown
  const hidden = file.hidden;
  if (!Number.isInteger(hidden) || hidden < 1 || hidden > 256) throw bad('hidden size out of range'); // i18n-ignore: a programming error, never shown
  if (!Array.isArray(file.units) || file.units.length !== hidden) throw bad('units do not match the hidden size'); // i18n-ignore: a programming error, never shown
  if (!file.out || !Array.isArray(file.out.weights) || file.out.weights.length !== hidden || !file.out.weights.every(finite))
    throw bad('output weights do not match the hidden size'); // i18n-ignore: a programming error, never shown
  if (!finite(file.out.bias)) throw bad('the output bias is not a number'); // i18n-ignore: a programming error, never shown
  if (!Array.isArray(file.limits) || file.limits.length !== NUM_CLASSES || !file.limits.every((l) => finite(l) && l > 0 && l <= 1))
    throw bad('not 10 limits in (0, 1]'); // i18n-ignore: a programming error, never shown
  const w1 = new Float32Array(hidden * IMAGE_PIXELS);
  const b1 = new Float32Array(hidden);
  file.units.forEach((u, j) => {
    const bytes = fromBase64(u?.data);
    if (!bytes || bytes.length !== IMAGE_PIXELS || !finite(u.scale) || !finite(u.bias)) throw bad(`unit ${j} is malformed`); // i18n-ignore: a programming error, never shown
    const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let i = 0; i < IMAGE_PIXELS; i++) w1[j * IMAGE_PIXELS + i] = (q[i] as number) * u.scale;
    b1[j] = u.bias;
  });
  return { hidden, w1, b1, w2: Float32Array.from(file.out.weights), b2: file.out.bias, limits: Float32Array.from(file.limits) };
}

/** The check's score for a 28x28 input (white ink 0..1 on black): 0 digit-like .. 1 not a digit. */
export function junkScore(check: InkCheck, pixels: ArrayLike<number>): number {
  let z = check.b2;
  for (let j = 0; j < check.hidden; j++) {
    let a = check.b1[j] as number;
    const base = j * IMAGE_PIXELS;
    for (let i = 0; i < IMAGE_PIXELS; i++) {
      const p = pixels[i] as number;
      if (p !== 0) a += p * (check.w1[base + i] as number);
    }
    if (a > 0) z += a * (check.w2[j] as number);
  }
  return 1 / (1 + Math.exp(-z));
}

/** Whether the check calls the input, read as `digit`, not a digit. */
export const looksLikeJunk = (check: InkCheck, pixels: ArrayLike<number>, digit: number): boolean =>
  junkScore(check, pixels) > (check.limits[digit] ?? 1);

let loading: Promise<InkCheck> | null = null;

/** Fetches and decodes public/models/ink-check.json once per page (a failed fetch may be retried). */
export function loadInkCheck(url = 'models/ink-check.json'): Promise<InkCheck> {
  loading ??= fetch(url)
    .then((r) => {
      if (!r.ok) throw new Error(`ink check: HTTP ${r.status}`); // i18n-ignore: a programming error, never shown
      return r.json() as Promise<InkCheckFile>;
    })
    .then(decodeInkCheck)
    .catch((e: unknown) => {
      loading = null;
      throw e;
    });
  return loading;
}
