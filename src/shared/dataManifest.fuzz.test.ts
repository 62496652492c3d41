/**
 * Fuzzing the data manifest check (fast-check): any JSON value, and the real manifest with fields
 * deleted, retyped or set to hostile values. Every input is either accepted as a manifest the loader
 * can use safely (file names that stay in the data folder, sizes and counts within stated bounds) or
 * refused with an Error saying "data manifest is invalid: ...". Never a TypeError.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkManifest, manifestFiles, MAX_DATA_FILE_BYTES, MAX_SPLIT_IMAGES } from './dataManifest';

const real = JSON.parse(readFileSync(new URL('../../public/data/manifest.json', import.meta.url), 'utf8')) as unknown;

function acceptOrRefuse(value: unknown): 'accepted' | 'refused' {
  let m;
  try {
    m = checkManifest(value);
  } catch (e) {
    if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError)
      throw new Error(`not a refusal: ${String(e)}`, { cause: e });
    expect(e.message).toMatch(/^data manifest is invalid: ./);
    return 'refused';
  }
  // Accepted: safe to fetch and allocate from.
  for (const f of manifestFiles(m)) {
    expect(f.name).toMatch(/^[\w][\w.-]*$/);
    expect(Number.isInteger(f.bytes) && f.bytes > 0 && f.bytes <= MAX_DATA_FILE_BYTES).toBe(true);
  }
  for (const s of [m.splits.train, m.splits.test]) {
    expect(Number.isInteger(s.count) && s.count > 0 && s.count <= MAX_SPLIT_IMAGES).toBe(true);
    for (const sprite of s.images) expect(Number.isInteger(sprite.count) && sprite.count > 0).toBe(true);
  }
  return 'accepted';
}

const hostile = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    -1,
    0,
    1.5,
    1e300,
    -Infinity,
    NaN,
    '',
    '../../etc/passwd',
    'https://elsewhere.example/x.png',
    '/abs.png',
    [],
    {},
    true,
  ),
  fc.jsonValue(),
);

/** Every path into the manifest's objects and arrays. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [];
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return keys.flatMap((k) => [[...prefix, k], ...paths((v as Record<string | number, unknown>)[k], [...prefix, k])]);
}
const allPaths = paths(real);

/** The real manifest with a few fields deleted or replaced by hostile values. */
const mutated = fc
  .array(fc.tuple(fc.constantFrom(...allPaths), fc.option(hostile, { nil: undefined }), fc.boolean()), { minLength: 1, maxLength: 4 })
  .map((edits) => {
    const m = structuredClone(real) as Record<string | number, unknown>;
    for (const [path, value, remove] of edits) {
      let at: Record<string | number, unknown> | undefined = m;
      for (const k of path.slice(0, -1)) at = at?.[k] as Record<string | number, unknown> | undefined;
      if (!at || typeof at !== 'object') continue;
      const last = path[path.length - 1]!;
      if (remove) delete at[last];
      else at[last] = value;
    }
    return m;
  });

describe('the data manifest check, fuzzed', () => {
  it('accepts the real manifest', () => {
    expect(acceptOrRefuse(real)).toBe('accepted');
  });

  it('refuses any other JSON value with a sentence (5,000 values)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        acceptOrRefuse(v);
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts or refuses every mutation of the real manifest, never anything unsafe (10,000 mutants)', () => {
    let refused = 0;
    fc.assert(
      fc.property(mutated, (m) => {
        if (acceptOrRefuse(m) === 'refused') refused++;
      }),
      { numRuns: 10000 },
    );
    expect(refused).toBeGreaterThan(5000);
  });
});
