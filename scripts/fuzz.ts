/**
 * What every fuzz test (`*.fuzz.test.ts`, fast-check) draws its inputs from: a valid value or file
 * mutated (JSON fields deleted or replaced by hostile values; bytes overwritten, inserted, deleted,
 * cut short or a 32-bit field saturated), and a hang guard that times each input. One helper, so a
 * new hostile value (e.g. an object whose `toString` is not a function) reaches every parser.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';

/**
 * JSON values that break careless checks: zeros, fractions, huge and non-finite numbers (JSON.stringify
 * writes NaN and ±Infinity as null), empty containers, and objects whose own keys shadow Object.prototype
 * (`String({"toString":1})` throws a TypeError; `"__proto__"` from JSON.parse is an own key).
 */
export const hostileValues: readonly unknown[] = [
  null,
  -1,
  0,
  1.5,
  -0.5,
  10,
  784,
  1e9,
  2 ** 31,
  2 ** 53 + 2,
  1e300,
  -Infinity,
  Infinity,
  NaN,
  '',
  ' ',
  '0',
  '1e9',
  'NaN',
  '\u0000',
  'x'.repeat(1000),
  [],
  {},
  true,
  false,
  [null],
  JSON.parse('{"toString":1}'),
  JSON.parse('{"valueOf":{},"toString":[]}'),
  JSON.parse('{"__proto__":{"polluted":true},"constructor":"x"}'),
];

/** A hostile value, one of `extra` (the parser's own traps, e.g. a path name for a file field), or any JSON value. */
export function hostileJson(...extra: unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(fc.constantFrom(...hostileValues, ...extra), fc.jsonValue());
}

type Path = (string | number)[];

/** Every path into `value`'s objects and arrays, parents before children. */
export function jsonPaths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((k) => [[...prefix, k], ...jsonPaths((value as Record<string | number, unknown>)[k], [...prefix, k])]);
}

/**
 * `base` (a parsed JSON value) with 1..maxEdits fields deleted or replaced by a value of `values`.
 * Each value is copied in, so a shared constant never ends up holding itself.
 */
export function mutatedJson(base: unknown, values: fc.Arbitrary<unknown> = hostileJson(), maxEdits = 4): fc.Arbitrary<unknown> {
  const paths = jsonPaths(base);
  return fc.array(fc.tuple(fc.constantFrom(...paths), values, fc.boolean()), { minLength: 1, maxLength: maxEdits }).map((edits) => {
    const m = structuredClone(base) as Record<string | number, unknown>;
    for (const [path, value, remove] of edits) {
      let at: Record<string | number, unknown> | undefined = m;
      for (const k of path.slice(0, -1)) at = at?.[k] as Record<string | number, unknown> | undefined;
      if (!at || typeof at !== 'object') continue;
      const last = path[path.length - 1]!;
      if (remove) delete at[last];
      else at[last] = structuredClone(value);
    }
    return m;
  });
}

/** 32-bit values that break size and offset arithmetic. */
const hostileUint32 = fc.oneof(fc.constantFrom(0, 1, 13, 784, 65536, 0x10000000, 0x7fffffff, 0x80000000, 0xffffffff), fc.nat());

type ByteEdit =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; n: number }
  | { kind: 'cut'; at: number }
  | { kind: 'field'; at: number; value: number };

export interface ByteMutationOptions {
  /** Offsets of the 32-bit fields worth saturating (a header's sizes); any offset when absent. */
  fields?: readonly number[];
  /** Byte order of those fields (zip and .npy: little; PNG and IDX: big). */
  littleEndian?: boolean;
  /** Most edits per input. */
  maxEdits?: number;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * `base` (a valid file, or an arbitrary of them) after 1..maxEdits edits, in order: bytes overwritten,
 * a run of random bytes inserted, a run deleted, the file cut short, or a 32-bit field rewritten.
 * Positions are taken modulo the current length, so edits compose.
 */
export function mutatedBytes(base: Uint8Array | fc.Arbitrary<Uint8Array>, options: ByteMutationOptions = {}): fc.Arbitrary<Uint8Array> {
  const { fields, littleEndian = false, maxEdits = 4 } = options;
  const edit: fc.Arbitrary<ByteEdit> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }) },
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('field' as const),
        at: fields ? fc.constantFrom(...fields) : fc.nat(),
        value: hostileUint32,
      }),
    },
  );
  const bases = base instanceof Uint8Array ? fc.constant(base) : base;
  return fc.tuple(bases, fc.array(edit, { minLength: 1, maxLength: maxEdits })).map(([b, edits]) => {
    let out: Uint8Array<ArrayBuffer> = Uint8Array.from(b);
    for (const e of edits) {
      if (e.kind === 'set') {
        if (out.length) out[e.at % out.length] = e.value;
      } else if (e.kind === 'insert') {
        const at = e.at % (out.length + 1);
        out = concat(out.subarray(0, at), e.bytes, out.subarray(at));
      } else if (e.kind === 'delete') {
        const at = e.at % (out.length + 1);
        out = concat(out.subarray(0, at), out.subarray(at + e.n));
      } else if (e.kind === 'cut') out = out.slice(0, e.at % (out.length + 1));
      else {
        const at = fields ? e.at : e.at % Math.max(1, out.length - 3);
        if (at + 4 <= out.length) new DataView(out.buffer).setUint32(at, e.value >>> 0, littleEndian);
      }
    }
    return out;
  });
}

/** Most time one input may take, ms: far above any parser's real cost, far below a hang (timings here are noisy). */
export const MAX_MS_PER_INPUT = 1000;

function tookTooLong(t0: number, ms: number): void {
  // A plain throw, not expect: this runs for every input, and a vitest expect costs ~40 µs.
  const took = performance.now() - t0;
  if (took >= ms) throw new Error(`one input took ${Math.round(took)} ms (the bound is ${ms} ms): a hang?`);
}

/** Runs `f` and fails when it took longer than `ms` (the hang guard of a property). */
export function quick<T>(f: () => T, ms = MAX_MS_PER_INPUT): T {
  const t0 = performance.now();
  try {
    return f();
  } finally {
    tookTooLong(t0, ms);
  }
}

/** `quick` for an async parser. */
export async function quickAsync<T>(f: () => Promise<T>, ms = MAX_MS_PER_INPUT): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    tookTooLong(t0, ms);
  }
}

/** The shipped reference model's files, and its model.json mutated (the model import's fuzz, page and worker side). */
export const shippedModelJson = readFileSync(new URL('../public/models/reference/model.json', import.meta.url), 'utf8');
export const shippedModelWeights = readFileSync(new URL('../public/models/reference/model.weights.bin', import.meta.url));
export const mutatedModelJson: fc.Arbitrary<string> = mutatedJson(
  JSON.parse(shippedModelJson),
  hostileJson('softmax', 'Conv2D', 'Dense', 'float16', [null, 784], [null, 1e9], [784, 10]),
).map((m) => JSON.stringify(m));
