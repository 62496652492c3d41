/** Shape of public/data/manifest.json, written by scripts/prepareData.mjs. */

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

/**
 * Checks that a parsed JSON value is a manifest this build can load.
 * @throws Error with a message saying what is wrong.
 */
export function checkManifest(value: unknown): DataManifest {
  const fail = (why: string): never => {
    throw new Error(`data manifest is invalid: ${why}`);
  };
  if (typeof value !== 'object' || value === null) fail('not a JSON object');
  const m = value as Partial<DataManifest>;
  if (m.version !== 1) fail(`unsupported version ${String(m.version)} (expected 1; run \`npm run data\`)`);
  if (m.imageSize !== 28) fail(`image size ${String(m.imageSize)}, expected 28`);
  for (const key of ['train', 'test'] as const) {
    const s = m.splits?.[key];
    if (!s || !Array.isArray(s.images) || typeof s.labels !== 'object') fail(`split "${key}" is missing`);
    const split = s as SplitManifest;
    let next = 0;
    for (const f of split.images) {
      if (typeof f.name !== 'string' || !(f.bytes > 0) || !/^[0-9a-f]{64}$/.test(f.sha256)) fail(`bad file entry in "${key}"`);
      if (f.width !== 784 || f.height !== f.count || f.first !== next) fail(`sprite ${f.name} has an unexpected layout`);
      next += f.count;
    }
    if (next !== split.count || split.labels.count !== split.count) fail(`split "${key}" counts do not add up`);
  }
  return m as DataManifest;
}
