/**
 * Pure pieces of the service worker (no `self`, no caches): the precache
 * manifest's shape, cache names, which request maps to which precached file,
 * and the cross-origin isolation headers. Tested in Node beside this file.
 */

/** One file of the build, as the build wrote it (scripts/precacheManifest.mjs). */
export interface PrecacheEntry {
  /** Path relative to the service worker's folder, e.g. `assets/main-abc.js`, `data/train-images-0.png`. */
  url: string;
  /** SHA-256 of the file, lowercase hex. */
  sha256: string;
  /** Size in bytes. */
  bytes: number;
}

/** What the build embeds into sw.js. */
export interface PrecacheManifest {
  /** A hash of all entries: a new build with any changed file has a new version. */
  version: string;
  entries: PrecacheEntry[];
}

export const CACHE_PREFIX = 'mnist-playground-';

/** One cache per build, so a new build never mixes with the old one. */
export function cacheName(version: string): string {
  return CACHE_PREFIX + version;
}

/** Our caches other than `current` (to delete on activate, or to reuse unchanged files from on install). */
export function otherCaches(keys: readonly string[], current: string): string[] {
  return keys.filter((k) => k.startsWith(CACHE_PREFIX) && k !== current);
}

/**
 * The precached entry a GET request asks for, or null. Navigations to the
 * app's folder or to index.html, with any query (`?trainSize=600`), get
 * index.html; other files must match exactly, without query.
 * @param scope the service worker's scope URL, ending in `/`
 */
export function entryFor(
  requestUrl: string,
  mode: string,
  scope: string,
  entries: ReadonlyMap<string, PrecacheEntry>,
): PrecacheEntry | null {
  const url = new URL(requestUrl);
  const base = new URL(scope);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return null;
  let path = decodeURIComponent(url.pathname.slice(base.pathname.length));
  if (mode === 'navigate' && (path === '' || path.endsWith('/'))) path += 'index.html';
  if (url.search && !(mode === 'navigate' && path === 'index.html')) return null;
  return entries.get(path) ?? null;
}

/** Headers that make a document cross-origin isolated, and let its subresources load under COEP. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The headers to add to a response so the page is isolated: those it lacks
 * (a server that already sends COEP `credentialless`, say, keeps its own).
 */
export function missingIsolationHeaders(has: (name: string) => boolean): [string, string][] {
  return Object.entries(ISOLATION_HEADERS).filter(([name]) => !has(name));
}

/** Lowercase hex of a digest. */
export function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}
