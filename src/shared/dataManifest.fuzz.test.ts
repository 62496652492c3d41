/**
 * Fuzzing the data manifest check (fast-check): any JSON value, and the real manifest with fields
 * deleted, retyped or set to hostile values. Every input is either accepted as a manifest the loader
 * can use safely (file names that stay in the data folder, sizes and counts within stated bounds) or
 * refused with an Error saying "data manifest is invalid: ...". Never a TypeError.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileJson, mutatedJson, quick } from '../../scripts/fuzz';
import { checkManifest, manifestFiles, MAX_DATA_FILE_BYTES, MAX_SPLIT_IMAGES } from './dataManifest';

const real = JSON.parse(readFileSync(new URL('../../public/data/manifest.json', import.meta.url), 'utf8')) as unknown;

function acceptOrRefuse(value: unknown): 'accepted' | 'refused' {
  let m;
  try {
    m = quick(() => checkManifest(value));
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

/** The real manifest with a few fields deleted, set to undefined or replaced by hostile values (file names that leave the folder). */
const mutated = mutatedJson(
  real,
  fc.option(hostileJson(undefined, '../../etc/passwd', 'https://elsewhere.example/x.png', '/abs.png', 'a\\b.png', 'x.png\u0000'), {
    nil: undefined,
  }),
);

describe('the data manifest check, fuzzed', () => {
  it('accepts the real manifest', () => {
    expect(acceptOrRefuse(real)).toBe('accepted');
  });

  it('refuses any other JSON value with a sentence (5,000 values)', () => {
    fc.assert(
      fc.property(hostileJson(), (v) => {
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
