/** Shape of public/data/manifest.json, written by scripts/prepareData.mjs. */
import { shownValue } from './shownValue';

/** One file the browser fetches. */
export interface DataFile {
  /** File name relative to the manifest. */
  name: string;
  /** Exact size in bytes. */
  bytes: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** A grayscale PNG holding `count` digits, one per row of 784 pixels. */
export interface SpriteFile extends DataFile {
  /** Index of the sprite's first image within its split. */
  first: number;
  /** Images (rows) in this sprite. */
  count: number;
  /** 784: one 28x28 digit per row. */
  width: number;
  /** Equal to `count`. */
  height: number;
  layout: 'row-per-image';
}

export interface SplitManifest {
  /** Images in the split. */
  count: number;
  /** Sprites in image order. */
  images: SpriteFile[];
  /** One uint8 label (0..9) per image. */
  labels: DataFile & { count: number };
}

export interface DataManifest {
  version: number;
  imageSize: number;
  splits: { train: SplitManifest; test: SplitManifest };
}

/** Every file the manifest names, sprites first. */
export function manifestFiles(m: DataManifest): DataFile[] {
  return [m.splits.train, m.splits.test].flatMap((s) => [...s.images, s.labels]);
}

/** Largest data file accepted, bytes (the largest sprite is ~2.7 MB): the loader allocates this much per file at most. */
export const MAX_DATA_FILE_BYTES = 64_000_000;
/** Most images a split may hold (MNIST: 60,000 and 10,000): the loader allocates count x 784 bytes. */
export const MAX_SPLIT_IMAGES = 100_000;

/** A plain file name in the data folder: no path, no URL, nothing that could fetch from elsewhere. */
const FILE_NAME = /^[\w][\w.-]*$/;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (n: unknown, max: number): n is number => Number.isInteger(n) && (n as number) > 0 && (n as number) <= max;

/**
 * Checks that a parsed JSON value is a manifest this build can load, safely: every file a plain
 * name of at most {@link MAX_DATA_FILE_BYTES} bytes with a SHA-256, every split at most
 * {@link MAX_SPLIT_IMAGES} images in sprites of 784-pixel rows that tile it in order.
 * @throws Error with a message saying what is wrong.
 */
export function checkManifest(value: unknown): DataManifest {
  const fail = (why: string): never => {
    throw new Error(`data manifest is invalid: ${why}`);
  };
  if (!isObject(value)) fail('not a JSON object');
  const m = value as Partial<DataManifest>;
  if (m.version !== 1) fail(`unsupported version ${shownValue(m.version)} (expected 1; run \`npm run data\`)`);
  if (m.imageSize !== 28) fail(`image size ${shownValue(m.imageSize)}, expected 28`);
  const file = (f: unknown, where: string): DataFile => {
    if (!isObject(f) || typeof f.name !== 'string' || !FILE_NAME.test(f.name)) fail(`bad file entry in ${where}`);
    const entry = f as unknown as DataFile;
    if (!isCount(entry.bytes, MAX_DATA_FILE_BYTES)) fail(`${entry.name} has an impossible size ${shownValue(entry.bytes)}`);
    if (typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) fail(`${entry.name} has no SHA-256`);
    return entry;
  };
  const names = new Set<string>();
  for (const key of ['train', 'test'] as const) {
    const s = isObject(m.splits) ? m.splits[key] : undefined;
    if (!isObject(s) || !Array.isArray(s.images) || !isObject(s.labels)) fail(`split "${key}" is missing`);
    const split = s as SplitManifest;
    if (!isCount(split.count, MAX_SPLIT_IMAGES)) fail(`split "${key}" has an impossible count ${shownValue(split.count)}`);
    let next = 0;
    for (const f of split.images) {
      const sprite = file(f, `"${key}"`) as SpriteFile;
      if (!isCount(sprite.count, split.count) || sprite.width !== 784 || sprite.height !== sprite.count || sprite.first !== next)
        fail(`sprite ${sprite.name} has an unexpected layout`);
      next += sprite.count;
      names.add(sprite.name);
    }
    const labels = file(split.labels, `"${key}" labels`);
    names.add(labels.name);
    if (next !== split.count || split.labels.count !== split.count) fail(`split "${key}" counts do not add up`);
  }
  if (names.size !== manifestFiles(m as DataManifest).length) fail('a file is named twice');
  return m as DataManifest;
}
