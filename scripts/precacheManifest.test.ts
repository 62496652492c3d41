import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildManifest, checkDataHashes, precacheManifest } from './precacheManifest.mjs';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'precache-'));
  await mkdir(join(dir, 'assets'));
  await mkdir(join(dir, 'data'));
  await mkdir(join(dir, 'models', 'reference'), { recursive: true });
  for (const [p, text] of Object.entries({
    'index.html': '<html>',
    'sw.js': 'sw',
    'bench.html': 'bench',
    'assets/main-1.js': 'main',
    'assets/bench.worker-2.js': 'bench worker',
    'data/train-labels.bin': 'labels',
    'models/reference/model.json': '{}',
    'models/reference/README.md': 'docs',
  })) {
    await writeFile(join(dir, p), text);
  }
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('buildManifest', () => {
  it('lists every file but the service worker, the bench page and docs, with hashes and sizes', async () => {
    const m = await buildManifest(dir);
    expect(m.entries.map((e) => e.url)).toEqual(['assets/main-1.js', 'data/train-labels.bin', 'index.html', 'models/reference/model.json']);
    expect(m.entries[0]).toEqual({ url: 'assets/main-1.js', sha256: sha('main'), bytes: 4 });
    expect(m.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives a new version when any file changes, the same one otherwise', async () => {
    const a = await buildManifest(dir);
    expect((await buildManifest(dir)).version).toBe(a.version);
    await writeFile(join(dir, 'data/train-labels.bin'), 'labels2');
    expect((await buildManifest(dir)).version).not.toBe(a.version);
  });
});

describe('checkDataHashes', () => {
  const dataManifest = (hash: string) =>
    JSON.stringify({ splits: { train: { images: [], labels: { name: 'train-labels.bin', sha256: hash } } } });

  it('accepts data that matches data/manifest.json', async () => {
    await writeFile(join(dir, 'data/manifest.json'), dataManifest(sha('labels')));
    await expect(checkDataHashes(dir, (await buildManifest(dir)).entries)).resolves.toBeUndefined();
  });

  it('fails the build on stale data', async () => {
    await writeFile(join(dir, 'data/manifest.json'), dataManifest(sha('other')));
    await expect(checkDataHashes(dir, (await buildManifest(dir)).entries)).rejects.toThrow(/train-labels\.bin differs/);
  });
});

describe('the dev server', () => {
  it('answers /sw.js with a service worker that unregisters itself (so a built app cached on the same port does not hide the dev pages)', () => {
    const dev = precacheManifest().find((p) => p.apply === 'serve');
    const use: ((req: { url: string }, res: unknown, next: () => void) => void)[] = [];
    (dev?.configureServer as (s: unknown) => void)({ middlewares: { use: (fn: (typeof use)[number]) => use.push(fn) } });
    let body = '';
    let passed = 0;
    const res = { setHeader: () => {}, end: (text: string) => (body = text) };
    use[0]!({ url: '/sw.js' }, res, () => passed++);
    expect(body).toContain('self.registration.unregister()');
    use[0]!({ url: '/src/main.tsx' }, res, () => passed++);
    expect(passed).toBe(1);
  });
});
