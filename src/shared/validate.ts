/**
 * Checks of what crosses the thread boundary, as small composable values: the
 * command table (commands.ts) gives each request one, and the worker's door
 * runs it on every message before anything acts on it. A check answers null
 * when the value fits, else one sentence saying where and what is wrong
 * ("steps must be a whole number from 1 to 1000 (got 1000000000)"). Every
 * number has a bound, every string and array a length. Pure: no DOM, no tf.
 */
import { IMAGE_PIXELS, NUM_CLASSES } from './constants';
import type { DigitSet } from './myDigits';
import { BACKENDS, configErrorText, PARAMS, validateConfig, type BackendChoice, type ConfigKey, type TrainConfig } from './trainConfig';

/** A check of one value. `T` is the type it admits (compile-time only), so the table's checks agree with RequestMap. */
export interface Check<T> {
  /** Null when `value` fits, else what is wrong; `path` names the value in the sentence (e.g. "config.epochs"). */
  readonly test: (value: unknown, path: string) => string | null;
  readonly _type?: T;
}

/** The type a check admits. */
export type Checked<C> = C extends Check<infer T> ? T : never;

function check<T>(test: (value: unknown, path: string) => string | null): Check<T> {
  return { test };
}

/** A short picture of a received value for a message: `"abc"`, `1000000000`, `null`, `an object`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v.length > 40 ? `a text of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'undefined') return String(v);
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of ${(v as unknown as ArrayLike<unknown>).length ?? v.byteLength}`;
  if (v instanceof ArrayBuffer) return `an ArrayBuffer of ${v.byteLength} bytes`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return `a ${typeof v}`;
}

const at = (path: string) => (path ? `${path} ` : '');

/** A whole number in [min, max]. */
export function int(min: number, max: number): Check<number> {
  return check((v, path) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? null
      : `${at(path)}must be a whole number from ${min} to ${max} (got ${describeValue(v)})`,
  );
}

/** A finite number in [min, max]. */
export function num(min: number, max: number): Check<number> {
  return check((v, path) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? null
      : `${at(path)}must be a number from ${min} to ${max} (got ${describeValue(v)})`,
  );
}

export const bool: Check<boolean> = check((v, path) =>
  typeof v === 'boolean' ? null : `${at(path)}must be true or false (got ${describeValue(v)})`,
);

/** Text of `minLength` to `maxLength` characters. */
export function text(maxLength: number, minLength = 0): Check<string> {
  return check((v, path) =>
    typeof v === 'string' && v.length >= minLength && v.length <= maxLength
      ? null
      : `${at(path)}must be a text of ${minLength} to ${maxLength} characters (got ${describeValue(v)})`,
  );
}

/** An absolute http(s) URL of at most 2,048 characters. */
export const httpUrl: Check<string> = check((v, path) => {
  if (typeof v !== 'string' || v.length > 2048) return `${at(path)}must be an absolute URL (got ${describeValue(v)})`;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? null : `${at(path)}must be an http(s) URL (got ${describeValue(v)})`;
  } catch {
    return `${at(path)}must be an absolute URL (got ${describeValue(v)})`;
  }
});

/** `inner`, or absent (undefined). */
export function optional<T>(inner: Check<T>): Check<T | undefined> {
  return check((v, path) => (v === undefined ? null : inner.test(v, path)));
}

/** `inner`, or null. */
export function nullable<T>(inner: Check<T>): Check<T | null> {
  return check((v, path) => (v === null ? null : inner.test(v, path)));
}

/** A Float32Array of exactly `length` finite values in [min, max] (e.g. [784] pixels in 0..1). */
export function float32Array(length: number, min: number, max: number): Check<Float32Array> {
  return check((v, path) => {
    if (!(v instanceof Float32Array)) return `${at(path)}must be a Float32Array of ${length} (got ${describeValue(v)})`;
    if (v.length !== length) return `${at(path)}must hold ${length} values (got ${v.length})`;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (!(x >= min && x <= max)) return `${at(path)}values must be from ${min} to ${max} (value ${i} is ${x})`;
    }
    return null;
  });
}

/** An ArrayBuffer of at most `maxBytes`. */
export function arrayBuffer(maxBytes: number): Check<ArrayBuffer> {
  return check((v, path) => {
    if (!(v instanceof ArrayBuffer)) return `${at(path)}must be an ArrayBuffer (got ${describeValue(v)})`;
    return v.byteLength <= maxBytes ? null : `${at(path)}must be at most ${maxBytes} bytes (got ${v.byteLength})`;
  });
}

type Shape = Record<string, Check<unknown>>;
type ObjectOf<S extends Shape> = { [K in keyof S]: Checked<S[K]> };

/** A plain object whose listed keys pass their checks (other keys are ignored). */
export function object<S extends Shape>(shape: S): Check<ObjectOf<S>> {
  return check((v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${at(path)}must be an object (got ${describeValue(v)})`;
    for (const [key, inner] of Object.entries(shape)) {
      const problem = inner.test((v as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      if (problem) return problem;
    }
    return null;
  });
}

/** Digits sent at most in one request (evaluate or fine-tune on your digits): 60,000 is 47 MB of pixels. */
export const MAX_DIGITS_SENT = 60_000;

/** A labelled set: [n] labels 0..9 and [n * 784] bytes, n at most MAX_DIGITS_SENT. */
export const digitSet: Check<DigitSet> = check((v, path) => {
  const p = path || 'digits';
  if (typeof v !== 'object' || v === null) return `${p} must be an object with images and labels (got ${describeValue(v)})`;
  const { images, labels } = v as Partial<DigitSet>;
  if (!(images instanceof Uint8Array) || !(labels instanceof Uint8Array)) return `${p}: images and labels must be byte arrays`;
  if (labels.length > MAX_DIGITS_SENT) return `${p}: at most ${MAX_DIGITS_SENT} digits (got ${labels.length})`;
  if (images.length !== labels.length * IMAGE_PIXELS)
    return `${p}: ${labels.length} digits need ${labels.length * IMAGE_PIXELS} pixels, got ${images.length}`;
  if (labels.some((l) => l >= NUM_CLASSES)) return `${p}: labels must be digits 0 to 9`;
  return null;
});

/** A whole TrainConfig: every hyperparameter present, of its kind and within the table's bounds (trainConfig.ts). */
export const trainConfig: Check<TrainConfig> = check((v, path) => {
  const p = path || 'config';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} must be an object (got ${describeValue(v)})`;
  const raw = v as Record<string, unknown>;
  for (const spec of PARAMS) {
    const value = raw[spec.key];
    if (spec.kind === 'intList') {
      if (!Array.isArray(value) || !value.every((u) => typeof u === 'number'))
        return `${p}.${spec.key} must be a list of numbers (got ${describeValue(value)})`;
      if (value.length > spec.maxLength) return `${p}.${spec.key}: at most ${spec.maxLength} layers (got ${value.length})`;
      continue;
    }
    const kind = spec.kind === 'enum' ? 'string' : 'number';
    if (typeof value !== kind) return `${p}.${spec.key} must be a ${kind} (got ${describeValue(value)})`;
  }
  const errors = Object.entries(validateConfig(raw as unknown as TrainConfig)).map(([k, e]) => configErrorText(k as ConfigKey, e));
  return errors.length ? `${p}: ${errors.join('; ')}` : null;
});

/** One of `options` (an enum's strings). */
export function oneOf<const T extends string>(options: readonly T[]): Check<T> {
  return check((v, path) =>
    typeof v === 'string' && (options as readonly string[]).includes(v)
      ? null
      : `${at(path)}must be one of ${options.join(', ')} (got ${describeValue(v)})`,
  );
}

/** A backend choice of the form's table ('auto', 'webgl', …). */
export const backendChoice: Check<BackendChoice> = oneOf(BACKENDS);

/** No parameters (any extra keys are ignored). */
export const none: Check<Record<never, never>> = object({});
