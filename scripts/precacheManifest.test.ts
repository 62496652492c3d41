import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildManifest, checkDataHashes } from './precacheManifest.mjs';

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
  const dataManifest = (hash: string) => JSON.stringify({ splits: { train: { images: [], labels: { name: 'train-labels.bin', sha256: hash } } } });

  it('accepts data that matches data/manifest.json', async () => {
    await writeFile(join(dir, 'data/manifest.json'), dataManifest(sha('labels')));
    await expect(checkDataHashes(dir, (await buildManifest(dir)).entries)).resolves.toBeUndefined();
  });

  it('fails the build on stale data', async () => {
    await writeFile(join(dir, 'data/manifest.json'), dataManifest(sha('other')));
    await expect(checkDataHashes(dir, (await buildManifest(dir)).entries)).rejects.toThrow(/train-labels\.bin differs/);
  });
});
