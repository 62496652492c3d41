// Vite plugin: after the build is written, lists every file of the output
// folder with its SHA-256 and size and puts that list into sw.js (replacing
// the `__PRECACHE_MANIFEST__` placeholder), with a version hashed from the
// list: any changed file gives a new sw.js, so browsers install the new build.
// The MNIST files' hashes are checked against public/data/manifest.json on
// the way, so a stale data folder fails the build instead of the service worker.
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

export const PLACEHOLDER = '__PRECACHE_MANIFEST__';
/** Files the service worker itself, the benchmark page and documentation: not precached. */
export const EXCLUDE = [/^sw\.js$/, /^bench\.html$/, /^assets\/bench[-.]/, /\.map$/, /(^|\/)README\.md$/, /(^|\/)\.DS_Store$/];

async function* walk(dir) {
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) yield* walk(p);
    else yield p;
  }
}

/**
 * The manifest for a built folder: entries sorted by url, and a version
 * (first 16 hex digits of the SHA-256 over all urls and hashes).
 * @returns {Promise<{version: string, entries: {url: string, sha256: string, bytes: number}[]}>}
 */
export async function buildManifest(outDir, exclude = EXCLUDE) {
  const entries = [];
  for await (const file of walk(outDir)) {
    const url = relative(outDir, file).split(sep).join('/');
    if (exclude.some((re) => re.test(url))) continue;
    const body = await readFile(file);
    entries.push({ url, sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length });
  }
  entries.sort((a, b) => (a.url < b.url ? -1 : 1));
  const version = createHash('sha256')
    .update(entries.map((e) => `${e.url} ${e.sha256}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  return { version, entries };
}

/** Throws when a data file's hash differs from what data/manifest.json says. */
export async function checkDataHashes(outDir, entries) {
  const text = await readFile(join(outDir, 'data', 'manifest.json'), 'utf8').catch(() => null);
  if (text === null) return;
  const byUrl = new Map(entries.map((e) => [e.url, e]));
  const files = [];
  for (const split of Object.values(JSON.parse(text).splits ?? {}))
    files.push(...(split.images ?? []), ...(split.labels ? [split.labels] : []));
  for (const f of files) {
    if (!f?.name || !f.sha256) continue;
    const e = byUrl.get(`data/${f.name}`);
    if (!e) throw new Error(`precache: data/${f.name} is in data/manifest.json but not in the build`);
    if (e.sha256 !== f.sha256) throw new Error(`precache: data/${f.name} differs from data/manifest.json (run npm run data)`);
  }
}

/**
 * What the dev server answers for sw.js: a service worker that removes itself
 * and our caches, then reloads its pages. Why: `npm start` (vite preview) and
 * `npm run dev` share http://localhost:5173/, and the built app's service worker
 * would otherwise keep serving the old build in place of the dev server's pages.
 */
export const DEV_SW_RESET = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil((async () => {
  await self.registration.unregister();
  for (const key of await caches.keys()) if (key.startsWith('mnist-playground-')) await caches.delete(key);
  for (const client of await self.clients.matchAll({ type: 'window' })) client.navigate(client.url);
})()));
`;

/** @returns {import('vite').Plugin} */
function devServiceWorkerReset() {
  return {
    name: 'precache-manifest:dev-reset',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url || new URL(req.url, 'http://x').pathname !== '/sw.js') return next();
        res.setHeader('Content-Type', 'text/javascript');
        res.setHeader('Cache-Control', 'no-store');
        res.end(DEV_SW_RESET);
      });
    },
  };
}

/** The build plugin (fills in sw.js) and, for the dev server, the service worker reset. @returns {import('vite').Plugin[]} */
export function precacheManifest() {
  return [precacheBuild(), devServiceWorkerReset()];
}

/** @returns {import('vite').Plugin} */
function precacheBuild() {
  let outDir = 'dist';
  return {
    name: 'precache-manifest',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      if (this.environment && this.environment.name !== 'client') return;
      const swPath = join(outDir, 'sw.js');
      const sw = await readFile(swPath, 'utf8').catch(() => null);
      if (sw === null) return;
      if (!sw.includes(PLACEHOLDER)) throw new Error(`precache: ${PLACEHOLDER} not found in sw.js`);
      const manifest = await buildManifest(outDir);
      await checkDataHashes(outDir, manifest.entries);
      await writeFile(swPath, sw.replace(PLACEHOLDER, JSON.stringify(manifest)));
      const mb = manifest.entries.reduce((s, e) => s + e.bytes, 0) / 1e6;
      this.info?.(`sw.js precaches ${manifest.entries.length} files, ${mb.toFixed(1)} MB, version ${manifest.version}`);
    },
  };
}
