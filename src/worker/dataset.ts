/**
 * Loads the MNIST sprites in the worker: fetches the manifest and every file
 * with byte-level progress, checks sizes and SHA-256 hashes, decodes the PNGs
 * and returns one uint8 array per split (55 MB, not 220 MB of float32).
 */
import { IMAGE_PIXELS } from '../shared/constants';
import { errorMessage } from '../shared/errorMessage';
import { checkManifest, manifestFiles, type DataFile, type DataManifest, type SplitManifest } from '../shared/dataManifest';
import { decodeGrayPng, PngError } from './png';

/** Images and labels of one split. */
export interface SplitData {
  count: number;
  /** [count * 784] bytes 0..255, white ink on black. */
  images: Uint8Array;
  /** [count] digits 0..9. */
  labels: Uint8Array;
}

export interface MnistData {
  train: SplitData;
  test: SplitData;
}

/** A data file is missing, the wrong size, corrupt or fails its hash. `file` names it. */
export class DataError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'DataError';
  }
}

/** Called as bytes arrive: loaded and total bytes over all files. */
export type ProgressCallback = (loadedBytes: number, totalBytes: number) => void;

/** Lower-case hex SHA-256, or null where WebCrypto is unavailable (an insecure origin). */
async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchOk(url: string, name: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new DataError(`could not fetch ${name}: ${errorMessage(e)}`, name);
  }
  if (!res.ok) throw new DataError(`could not fetch ${name}: HTTP ${res.status} ${res.statusText}`.trim(), name);
  // Many servers answer a missing file with their HTML fallback page (a single-page-app rewrite):
  // that is a missing file, not a truncated one.
  if (isHtml(res.headers.get('content-type')))
    throw new DataError(`${name} is missing: ${url} answered with an HTML page instead of the file`, name);
  return res;
}

/** True for an HTML content type (our data files are PNG, binary and JSON). */
export function isHtml(contentType: string | null): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType ?? '');
}

/** True when bytes start like an HTML document ("<!doctype html", "<html", after optional whitespace/BOM). */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 64))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body');
}

/** Reads a response body into exactly `expected` bytes, reporting each chunk. */
async function readExactly(res: Response, file: DataFile, onChunk: (n: number) => void): Promise<Uint8Array> {
  const out = new Uint8Array(file.bytes);
  let got = 0;
  const reader = res.body?.getReader();
  if (!reader) throw new DataError(`${file.name}: empty response`, file.name);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (got + value.length > file.bytes) {
      await reader.cancel();
      throw new DataError(`${file.name} is larger than the manifest says (${file.bytes} bytes): run \`npm run data\``, file.name);
    }
    out.set(value, got);
    got += value.length;
    onChunk(value.length);
  }
  if (got !== file.bytes && looksLikeHtml(out.subarray(0, got))) {
    throw new DataError(`${file.name} is missing: ${res.url || file.name} answered with an HTML page instead of the file`, file.name);
  }
  if (got !== file.bytes) throw new DataError(`${file.name} is truncated: ${got} of ${file.bytes} bytes`, file.name);
  return out;
}

async function verify(bytes: Uint8Array, file: DataFile): Promise<void> {
  const hash = await sha256Hex(bytes);
  if (hash !== null && hash !== file.sha256) {
    throw new DataError(`${file.name} is corrupt: its SHA-256 does not match the manifest`, file.name);
  }
}

async function decodeSplit(split: SplitManifest, files: Map<string, Uint8Array>): Promise<SplitData> {
  const images = new Uint8Array(split.count * IMAGE_PIXELS);
  await Promise.all(
    split.images.map(async (sprite) => {
      let img;
      try {
        img = await decodeGrayPng(files.get(sprite.name)!);
      } catch (e) {
        throw new DataError(`${sprite.name} could not be decoded: ${e instanceof PngError ? e.message : String(e)}`, sprite.name);
      }
      if (img.width !== IMAGE_PIXELS || img.height !== sprite.count) {
        throw new DataError(`${sprite.name} is ${img.width}x${img.height}, expected ${IMAGE_PIXELS}x${sprite.count}`, sprite.name);
      }
      images.set(img.pixels, sprite.first * IMAGE_PIXELS);
    }),
  );
  const labels = files.get(split.labels.name)!;
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new DataError(`${split.labels.name} is corrupt: label ${labels[bad]} at ${bad}`, split.labels.name);
  return { count: split.count, images, labels };
}

/** Fetches and checks the manifest at `baseUrl` + manifest.json. */
export async function fetchManifest(baseUrl: string): Promise<DataManifest> {
  const res = await fetchOk(new URL('manifest.json', baseUrl).href, 'manifest.json');
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new DataError('manifest.json is not valid JSON', 'manifest.json');
  }
  try {
    return checkManifest(json);
  } catch (e) {
    throw new DataError(errorMessage(e), 'manifest.json');
  }
}

/**
 * Fetches, verifies and decodes the whole dataset.
 * @param baseUrl absolute URL of the folder holding manifest.json (ends with '/').
 * @throws DataError naming the file at fault.
 */
export async function loadMnist(baseUrl: string, onProgress: ProgressCallback = () => {}): Promise<MnistData> {
  const manifest = await fetchManifest(baseUrl);
  const all = manifestFiles(manifest);
  const total = all.reduce((a, f) => a + f.bytes, 0);
  let loaded = 0;
  onProgress(0, total);
  const files = new Map<string, Uint8Array>();
  await Promise.all(
    all.map(async (f) => {
      const res = await fetchOk(new URL(f.name, baseUrl).href, f.name);
      const bytes = await readExactly(res, f, (n) => {
        loaded += n;
        onProgress(loaded, total);
      });
      await verify(bytes, f);
      files.set(f.name, bytes);
    }),
  );
  const [train, test] = await Promise.all([decodeSplit(manifest.splits.train, files), decodeSplit(manifest.splits.test, files)]);
  return { train, test };
}
