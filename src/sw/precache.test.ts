import { describe, expect, it } from 'vitest';
import { cacheName, entryFor, hex, missingIsolationHeaders, otherCaches, type PrecacheEntry } from './precache';

const scope = 'https://example.org/playground/';
const entries = new Map<string, PrecacheEntry>(
  ['index.html', 'assets/main-abc.js', 'data/train-images-0.png'].map((url) => [url, { url, sha256: 'x', bytes: 1 }]),
);
const find = (url: string, mode = 'no-cors') => entryFor(url, mode, scope, entries)?.url ?? null;

describe('entryFor', () => {
  it('serves index.html for navigations to the app folder, with or without a query', () => {
    expect(find(scope, 'navigate')).toBe('index.html');
    expect(find(`${scope}?trainSize=600&epochs=1`, 'navigate')).toBe('index.html');
    expect(find(`${scope}index.html?backend=wasm`, 'navigate')).toBe('index.html');
  });

  it('matches assets and data exactly, never with a query or outside the scope', () => {
    expect(find(`${scope}assets/main-abc.js`, 'cors')).toBe('assets/main-abc.js');
    expect(find(`${scope}data/train-images-0.png`, 'cors')).toBe('data/train-images-0.png');
    expect(find(`${scope}data/train-images-0.png?x=1`, 'cors')).toBeNull();
    expect(find(`${scope}assets/other.js`)).toBeNull();
    expect(find('https://example.org/index.html', 'navigate')).toBeNull();
    expect(find('https://cdn.example.org/playground/assets/main-abc.js')).toBeNull();
  });
});

describe('caches', () => {
  it('one cache per version; only our other versions are old', () => {
    expect(cacheName('abc')).toBe('mnist-playground-abc');
    expect(otherCaches(['mnist-playground-abc', 'mnist-playground-old', 'someone-else'], cacheName('abc'))).toEqual([
      'mnist-playground-old',
    ]);
  });
});

describe('isolation headers', () => {
  it('adds only what the response lacks', () => {
    const has = new Set(['cross-origin-embedder-policy']);
    expect(missingIsolationHeaders((n) => has.has(n.toLowerCase())).map(([n]) => n)).toEqual([
      'Cross-Origin-Opener-Policy',
      'Cross-Origin-Resource-Policy',
    ]);
    expect(missingIsolationHeaders(() => false)).toHaveLength(3);
  });
});

it('hex', () => {
  expect(hex(new Uint8Array([0, 15, 255]).buffer)).toBe('000fff');
});
