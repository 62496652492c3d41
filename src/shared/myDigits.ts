/**
 * "My digits": the person's own labelled drawings, as both threads see them,
 * and their export file. Pure (no DOM, no tf): the file is checked here, so a
 * malformed import is refused before anything is stored.
 *
 * File format (one JSON file, `.digits.json`): `{ format, version, count, labels, pixels }`
 * where `labels` is an array of digits and `pixels` is base64 of `count * 784` bytes,
 * 0..255, white ink on black, one digit after another, row-major: the layout of an
 * MNIST IDX image file without its header. One file rather than a PNG + JSON pair:
 * nothing to keep together, and decoding needs no canvas (so it is tested in Node).
 */
import { IMAGE_PIXELS, NUM_CLASSES } from './constants';
import { base64Bytes, fromBase64, toBase64 } from './base64';
import { shownValue } from './shownValue';

/** One labelled drawing. */
export interface MyDigit {
  /** Key in the IndexedDB store (assigned when stored). */
  id: number;
  /** 0..9 */
  label: number;
  /** [784] the model's input as drawn, 0..255, white ink on black. */
  pixels: Uint8Array;
  /** ISO 8601 date of labelling. */
  createdAt: string;
}

/** A labelled set as the worker takes it (fine-tuning, evaluating). */
export interface DigitSet {
  /** [count * 784] bytes 0..255, white ink on black. */
  images: Uint8Array;
  /** [count] digits 0..9. */
  labels: Uint8Array;
}

export const MY_DIGITS_FORMAT = 'mnist-playground-digits';
export const MY_DIGITS_FILE_VERSION = 1;
/** Most digits one file may hold (a file is read whole into memory). */
export const MAX_MY_DIGITS = 10_000;
/**
 * Longest file text read, characters: a file of MAX_MY_DIGITS digits is 10.5 million (base64 is 4/3 of
 * the 7.84 MB of pixels), so this leaves room for a file someone re-indented, and bounds what parsing
 * allocates.
 */
export const MAX_MY_DIGITS_FILE_CHARS = 16 * 2 ** 20;

/** The model's input ([784] 0..1) as the bytes we store (0..255, rounded). */
export function toBytes(pixels: Float32Array): Uint8Array {
  if (pixels.length !== IMAGE_PIXELS) throw new Error(`a digit has ${IMAGE_PIXELS} pixels, got ${pixels.length}`);
  const out = new Uint8Array(IMAGE_PIXELS);
  for (let i = 0; i < IMAGE_PIXELS; i++) out[i] = Math.round(Math.max(0, Math.min(1, pixels[i]!)) * 255);
  return out;
}

/** Digits as one labelled set (images concatenated in order). */
export function toDigitSet(digits: readonly Pick<MyDigit, 'label' | 'pixels'>[]): DigitSet {
  const images = new Uint8Array(digits.length * IMAGE_PIXELS);
  const labels = new Uint8Array(digits.length);
  digits.forEach((d, i) => {
    images.set(d.pixels, i * IMAGE_PIXELS);
    labels[i] = d.label;
  });
  return { images, labels };
}

/** The export file's text for `digits` (in their order). */
export function encodeMyDigitsFile(digits: readonly Pick<MyDigit, 'label' | 'pixels'>[]): string {
  const { images, labels } = toDigitSet(digits);
  return JSON.stringify({
    format: MY_DIGITS_FORMAT,
    version: MY_DIGITS_FILE_VERSION,
    count: digits.length,
    labels: Array.from(labels),
    pixels: toBase64(images),
  });
}

/** A file that cannot be imported, with a sentence saying why. */
export class MyDigitsFileError extends Error {
  override name = 'MyDigitsFileError';
}

/**
 * Reads an export file.
 * @returns the digits in file order (label and [784] bytes each).
 * @throws MyDigitsFileError saying what is wrong (not JSON, another format, counts or sizes that disagree, labels outside 0..9).
 */
export function decodeMyDigitsFile(text: string): { label: number; pixels: Uint8Array }[] {
  if (text.length > MAX_MY_DIGITS_FILE_CHARS)
    throw new MyDigitsFileError(`The file is too large for a digits file (${MAX_MY_DIGITS} digits at most).`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new MyDigitsFileError('This is not a digits file: it is not JSON.');
  }
  if (!data || typeof data !== 'object') throw new MyDigitsFileError('This is not a digits file.');
  const f = data as Record<string, unknown>;
  if (f.format !== MY_DIGITS_FORMAT) throw new MyDigitsFileError(`This is not a digits file (format should be "${MY_DIGITS_FORMAT}").`);
  if (f.version !== MY_DIGITS_FILE_VERSION)
    throw new MyDigitsFileError(
      `Unsupported digits file version ${shownValue(f.version)} (this page reads version ${MY_DIGITS_FILE_VERSION}).`,
    );
  const count = f.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
    throw new MyDigitsFileError('The digit count is missing or not a whole number.');
  if (count > MAX_MY_DIGITS) throw new MyDigitsFileError(`The file holds ${count} digits; at most ${MAX_MY_DIGITS} can be imported.`);
  const labels = f.labels;
  if (!Array.isArray(labels) || labels.length !== count)
    throw new MyDigitsFileError(`The file says ${count} digits but has ${Array.isArray(labels) ? labels.length : 'no'} labels.`);
  const bad = labels.findIndex((l) => typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l >= NUM_CLASSES);
  if (bad >= 0) throw new MyDigitsFileError(`Label ${bad + 1} is ${shownValue(labels[bad])}, not a digit 0 to 9.`);
  // Sizes compared before decoding: pixels of the wrong length are refused without allocating them.
  const bytes = typeof f.pixels === 'string' ? base64Bytes(f.pixels) : null;
  if (bytes === null) throw new MyDigitsFileError('The pixels are missing or not base64.');
  if (bytes !== count * IMAGE_PIXELS)
    throw new MyDigitsFileError(`The pixels hold ${bytes} bytes; ${count} digits need ${count * IMAGE_PIXELS} (${IMAGE_PIXELS} each).`);
  const pixels = fromBase64(f.pixels as string);
  if (!pixels || pixels.length !== bytes) throw new MyDigitsFileError('The pixels are missing or not base64.');
  return (labels as number[]).map((label, i) => ({ label, pixels: pixels.slice(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS) }));
}

/** Share of `digits` the model reads right, given its predictions (null for none). */
export function accuracyOf(labels: ArrayLike<number>, predicted: ArrayLike<number>): number | null {
  if (!labels.length) return null;
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predicted[i]) right++;
  return right / labels.length;
}

/** The digit to ask for next in prompted mode: the one with the fewest examples (lowest first on ties). */
export function nextPrompt(digits: readonly Pick<MyDigit, 'label'>[], previous: number | null = null): number {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (const d of digits) counts[d.label]!++;
  const fewest = Math.min(...counts);
  // After the previous prompt, so ties cycle 0, 1, 2, ... rather than repeat.
  for (let k = 1; k <= NUM_CLASSES; k++) {
    const d = ((previous ?? -1) + k) % NUM_CLASSES;
    if (counts[d] === fewest) return d;
  }
  return 0;
}
