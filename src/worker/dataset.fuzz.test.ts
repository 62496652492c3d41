/**
 * Fuzzing the dataset loader end to end (fast-check): a tiny data folder (manifest, sprites, labels)
 * served by a stub fetch that mutates it: bytes changed with or without a matching SHA-256 in the
 * manifest, files cut short or grown, missing, answered with an HTML page, or failing on the network.
 * Every load either yields the dataset as written or is refused with a DataError naming a file.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeGrayPng } from '../../scripts/idx.mjs';
import { DataError, loadMnist } from './dataset';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const pixels = (n: number, seed: number) => new Uint8Array(n * 784).map((_, i) => (i * 13 + seed) & 255);
const trainPx = pixels(3, 1);
const testPx = pixels(2, 2);

function folder(): Map<string, Uint8Array> {
  return new Map<string, Uint8Array>([
    ['train-images-0.png', new Uint8Array(encodeGrayPng(trainPx, 784, 3))],
    ['train-labels.bin', Uint8Array.from([1, 2, 3])],
    ['test-images-0.png', new Uint8Array(encodeGrayPng(testPx, 784, 2))],
    ['test-labels.bin', Uint8Array.from([4, 5])],
  ]);
}

function manifestFor(files: Map<string, Uint8Array>, hashOf: (name: string) => string): object {
  const f = (name: string) => ({ name, bytes: files.get(name)!.length, sha256: hashOf(name) });
  const split = (prefix: string, count: number) => ({
    count,
    images: [{ ...f(`${prefix}-images-0.png`), first: 0, count, width: 784, height: count, layout: 'row-per-image' }],
    labels: { ...f(`${prefix}-labels.bin`), count },
  });
  return { version: 1, imageSize: 28, splits: { train: split('train', 3), test: split('test', 2) } };
}

type Fault =
  | { kind: 'flip'; at: number; value: number; rehash: boolean }
  | { kind: 'cut' | 'grow'; by: number }
  | { kind: 'missing' | 'html' | 'network' };
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), rehash: fc.boolean() }),
  fc.record({ kind: fc.constantFrom('cut' as const, 'grow' as const), by: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ kind: fc.constantFrom('missing' as const, 'html' as const, 'network' as const) }),
);
const names = ['manifest.json', 'train-images-0.png', 'train-labels.bin', 'test-images-0.png', 'test-labels.bin'];

/** Serves the folder with `faults` applied to the named files; the manifest describes the files as served when `rehash`. */
function serve(faults: [string, Fault][]): void {
  const files = folder();
  const served = new Map(files);
  const rehashed = new Set<string>();
  for (const [name, f] of faults) {
    const b = served.get(name);
    if (!b) continue;
    if (f.kind === 'flip') {
      const c = Uint8Array.from(b);
      c[f.at % c.length] = f.value;
      served.set(name, c);
      if (f.rehash) rehashed.add(name);
    } else if (f.kind === 'cut') served.set(name, b.subarray(0, Math.max(0, b.length - f.by)));
    else if (f.kind === 'grow') served.set(name, Uint8Array.from([...b, ...new Uint8Array(f.by)]));
  }
  // A rehashed file is described as served (size and hash), so the decoder itself meets its bytes.
  const described = new Map([...files].map(([n, b]) => [n, rehashed.has(n) ? served.get(n)! : b]));
  const manifest = new TextEncoder().encode(JSON.stringify(manifestFor(described, (n) => sha(described.get(n)!))));
  served.set('manifest.json', manifest);
  for (const [name, f] of faults)
    if (name === 'manifest.json' && f.kind === 'flip')
      served.set(name, Uint8Array.from(manifest).fill(f.value, f.at % manifest.length, (f.at % manifest.length) + 1));
  vi.stubGlobal('fetch', async (url: string) => {
    const name = new URL(url).pathname.split('/').pop()!;
    const f = faults.find(([n]) => n === name)?.[1];
    if (f?.kind === 'network') throw new TypeError('Failed to fetch');
    if (f?.kind === 'missing') return new Response('not found', { status: 404, statusText: 'Not Found' });
    if (!served.has(name)) return new Response('not found', { status: 404, statusText: 'Not Found' });
    if (f?.kind === 'html') return new Response('<!doctype html><html></html>', { headers: { 'content-type': 'text/html' } });
    return new Response(served.get(name)! as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream' },
    });
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('the dataset loader, fuzzed', () => {
  it('loads the folder as written', async () => {
    serve([]);
    const data = await loadMnist('http://data.test/');
    expect(data.train.images).toEqual(trainPx);
    expect(Array.from(data.test.labels)).toEqual([4, 5]);
  });

  it('yields the dataset or a DataError naming the file, whatever goes wrong with the files (2,000 faulty folders)', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...names), fault), { minLength: 1, maxLength: 3 }), async (faults) => {
        serve(faults);
        try {
          const data = await loadMnist('http://data.test/');
          expect(data.train.images.length).toBe(3 * 784);
          expect(data.test.images.length).toBe(2 * 784);
          for (const l of [...data.train.labels, ...data.test.labels]) expect(l).toBeLessThanOrEqual(9);
        } catch (e) {
          if (!(e instanceof DataError)) throw new Error(`not a DataError: ${String(e)}`, { cause: e });
          // The file at fault, as the manifest names it (a flipped manifest may name a file that is not there).
          expect(e.file).toMatch(/^[\w][\w.-]*$/);
          expect(e.message).toContain(e.file === 'manifest.json' ? 'manifest' : e.file);
          refused++;
        }
      }),
      { numRuns: 2000 },
    );
    expect(refused).toBeGreaterThan(1000);
  });
});
