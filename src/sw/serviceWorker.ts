/// <reference lib="webworker" />
/**
 * The service worker (built to `sw.js` beside index.html). Hand-written, about
 * 150 lines, rather than Workbox: it needs three things Workbox does not do
 * together out of the box, namely precache from our own manifest with SHA-256
 * checks (11 MB of MNIST must not be stored corrupt or from a half-deployed
 * build), reuse unchanged files from the previous build's cache instead of
 * downloading them again, and add COOP/COEP to every response for
 * cross-origin isolation on a static host (coi-serviceworker's technique).
 *
 * - install: fills a new cache named after the build's version with every file
 *   of the build (app shell, worker and WASM chunks, shipped model, MNIST data),
 *   each verified against its hash. An old cache's copy is reused when the hash
 *   matches; on a first visit the page's own download is taken from the HTTP
 *   cache, so MNIST crosses the network once. Any failure fails the install:
 *   the old version keeps running.
 * - activate: deletes the other versions' caches, takes control of open pages.
 * - fetch: precached files from this version's cache, the rest from the
 *   network; adds the isolation headers and the Content-Security-Policy a
 *   response lacks.
 * - message 'skip-waiting': the page's "Reload" button activates a waiting update.
 */
import { cacheName, entryFor, hex, missingIsolationHeaders, otherCaches, type PrecacheEntry, type PrecacheManifest } from './precache';

declare const self: ServiceWorkerGlobalScope;
/** Replaced by the build (scripts/precacheManifest.mjs) with the manifest's JSON. */
declare const __PRECACHE_MANIFEST__: PrecacheManifest;
/** The app's Content-Security-Policy (scripts/contentSecurityPolicy.mjs), defined by vite.config.ts. */
declare const __CONTENT_SECURITY_POLICY__: string;

const manifest = __PRECACHE_MANIFEST__;
const CACHE = cacheName(manifest.version);
const entries = new Map(manifest.entries.map((e) => [e.url, e]));
const scope = () => self.registration.scope;
const absolute = (e: PrecacheEntry) => new URL(e.url, scope()).href;

async function sha256(res: Response): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', await res.clone().arrayBuffer()));
}

/** A copy of `e` from an older version's cache whose bytes still match, or null. */
async function reusable(e: PrecacheEntry, old: Cache[]): Promise<Response | null> {
  for (const cache of old) {
    const hit = await cache.match(absolute(e));
    if (hit && (await sha256(hit)) === e.sha256) return hit;
  }
  return null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * On a first visit the page downloads the 11 MB of MNIST itself while we
 * install: wait (up to `deadline`) for its copy to land in the HTTP cache
 * instead of downloading everything twice.
 */
async function pageCopy(e: PrecacheEntry, deadline: number): Promise<Response | null> {
  for (;;) {
    const res = await fetch(absolute(e), { cache: 'only-if-cached', mode: 'same-origin' }).catch(() => null);
    if (res?.ok && (await sha256(res)) === e.sha256) return res;
    if (Date.now() > deadline) return null;
    await sleep(500);
  }
}

/**
 * Downloads `e` and checks its hash. `force-cache` first: the page has usually
 * just fetched the same file, so the HTTP cache has it; a stale or
 * half-deployed copy fails the hash and is fetched again from the server.
 */
async function download(e: PrecacheEntry, deadline: number): Promise<Response> {
  const copy = e.url.startsWith('data/') ? await pageCopy(e, deadline) : null;
  if (copy) return copy;
  for (const cache of ['force-cache', 'reload'] as const) {
    const res = await fetch(absolute(e), { cache });
    if (res.ok && (await sha256(res)) === e.sha256) return res;
  }
  throw new Error(`precache: ${e.url} does not match its SHA-256 (a build half deployed?)`);
}

async function precache(): Promise<void> {
  const cache = await caches.open(CACHE);
  const old = await Promise.all(otherCaches(await caches.keys(), CACHE).map((k) => caches.open(k)));
  // Only a first install races the page for the data; an update's page is served from the old cache.
  const deadline = old.length === 0 ? Date.now() + 20_000 : 0;
  const queue = [...manifest.entries];
  // A few at a time: the data files are large and the page may be loading them too.
  const fill = async () => {
    for (let e = queue.shift(); e; e = queue.shift()) {
      if (await cache.match(absolute(e))) continue;
      const res = (await reusable(e, old)) ?? (await download(e, deadline));
      await cache.put(absolute(e), res);
    }
  };
  await Promise.all([fill(), fill(), fill(), fill()]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      await Promise.all(otherCaches(await caches.keys(), CACHE).map((k) => caches.delete(k)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'skip-waiting') void self.skipWaiting();
});

/**
 * `res` with the COOP/COEP/CORP headers and the Content-Security-Policy it lacks (opaque responses
 * cannot be changed and need none). The policy matters on the page and on worker scripts, which
 * take their policy from their own response, not from the page's <meta>.
 */
function isolated(res: Response): Response {
  if (res.status === 0) return res;
  const missing = missingIsolationHeaders((name) => res.headers.has(name));
  if (!res.headers.has('Content-Security-Policy')) missing.push(['Content-Security-Policy', __CONTENT_SECURITY_POLICY__]);
  if (missing.length === 0) return res;
  const headers = new Headers(res.headers);
  for (const [name, value] of missing) headers.set(name, value);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

async function respond(request: Request): Promise<Response> {
  const entry = entryFor(request.url, request.mode, scope(), entries);
  if (entry) {
    const hit = await caches.open(CACHE).then((c) => c.match(absolute(entry)));
    if (hit) return isolated(hit);
  }
  return isolated(await fetch(request));
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  // Chrome refuses `only-if-cached` outside same-origin mode: leave such requests alone.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(respond(request));
});
