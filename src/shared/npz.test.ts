import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPython } from '../../scripts/python/findPython';
import { MAX_NPY_HEADER_BYTES, NpyError, readNpy, writeNpy } from './npy';
import { crc32, MAX_NPZ_ENTRIES, NpzError, readNpz, writeNpz } from './npz';

const dir = mkdtempSync(join(tmpdir(), 'npz-'));
const tmp = (name: string) => join(dir, name);

/** An .npy file with a hand-written header (for the strictness cases). */
function npy(header: string, data = new Uint8Array(0), version = [1, 0]): Uint8Array {
  const h = new TextEncoder().encode(header);
  const long = version[0] !== 1;
  const out = new Uint8Array(8 + (long ? 4 : 2) + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version[0]!, version[1]!]);
  const view = new DataView(out.buffer);
  if (long) view.setUint32(8, h.length, true);
  else view.setUint16(8, h.length, true);
  out.set(h, long ? 12 : 10);
  out.set(data, (long ? 12 : 10) + h.length);
  return out;
}
const f4 = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);

describe('.npy', () => {
  it('reads what it writes, float32 and float64, any rank', () => {
    const a = readNpy(writeNpy([2, 3], Float32Array.from([1, 2, 3, 4, 5, 6.5])), 100);
    expect(a).toEqual({ shape: [2, 3], dtype: 'float32', data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) });
    expect(readNpy(writeNpy([3], Float64Array.from([0.1, -2, 1e300])), 100).data).toEqual(Float64Array.from([0.1, -2, 1e300]));
    expect(readNpy(writeNpy([], Float32Array.from([7])), 100)).toMatchObject({ shape: [], data: Float32Array.from([7]) });
    expect(writeNpy([5], new Float32Array(5)).length % 64).toBe(20 % 64); // header padded to 64 bytes, then 5 x 4 bytes
  });

  it('reads format versions 1.0, 2.0 and 3.0 and both quote styles', () => {
    const h = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
    expect(readNpy(npy(h, f4(1, 2)), 10).data).toEqual(Float32Array.from([1, 2]));
    expect(readNpy(npy(h, f4(1, 2), [2, 0]), 10).shape).toEqual([2]);
    expect(readNpy(npy(h, f4(1, 2), [3, 0]), 10).shape).toEqual([2]);
    expect(readNpy(npy('{"descr": "<f4", "shape": (1, 2), "fortran_order": False}\n', f4(1, 2)), 10).shape).toEqual([1, 2]);
  });

  it('refuses anything else with the reason', () => {
    const ok = (shape: string, descr = '<f4', fortran = 'False') =>
      `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array([1, 2, 3]), /not a \.npy/],
      [npy(ok('(2,)'), f4(1, 2), [4, 0]), /version 4\.0/],
      [npy(ok('(2,)', '>f4'), f4(1, 2)), /'>f4'.*little-endian/],
      [npy(ok('(2,)', '<i8'), f4(1, 2, 3, 4)), /dtype/],
      [npy(ok('(2,)', '|O'), f4(1, 2)), /dtype/],
      [npy(ok('(2,)', '<f4', 'True'), f4(1, 2)), /Fortran order/],
      [npy(ok('(3,)'), f4(1, 2)), /holds 8 bytes of data but its header describes 12/],
      [npy(ok('(2,)'), f4(1, 2, 3)), /holds 12 bytes/],
      [npy(ok('(1000, 1000)'), f4(1)), /1,000,000 values \(at most 100/],
      [npy("{'descr': '<f4', 'shape': (2,)}", f4(1, 2)), /keys descr, shape/],
      [npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", f4(1, 2)), /not a dict/],
      [npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", f4(1, 2)), /not a dict/],
      [npy("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", f4(1, 2)), /not a dict/],
      [npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} junk", f4(1, 2)), /text after/],
      [npy("__import__('os')", f4(1, 2)), /not a dict/],
      [npy(ok('(2,)') + 'é'), /not plain text/],
      [npy(' '.repeat(MAX_NPY_HEADER_BYTES + 1), new Uint8Array(0), [2, 0]), /header is 10,001 bytes/],
      [npy(ok('(2,)')).subarray(0, 30), /ends inside its header/],
    ];
    for (const [bytes, reason] of cases) {
      expect(() => readNpy(bytes, 100), reason.source).toThrow(NpyError);
      expect(() => readNpy(bytes, 100), reason.source).toThrow(reason);
    }
  });
});

describe('.npz', () => {
  it('computes zip’s CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('reads np.savez and np.savez_compressed archives (ZIP64 local headers, stored and deflated)', () => {
    for (const fn of ['savez', 'savez_compressed']) {
      const file = tmp(`${fn}.npz`);
      runPython([
        '-c',
        `import numpy as np; np.${fn}('${file}', np.arange(6, dtype='<f4').reshape(2, 3), np.array([0.5, -1.5]), mean=np.full(3, 0.25))`,
      ]);
      const arrays = readNpz(new Uint8Array(readFileSync(file)), 100);
      expect([...arrays.keys()].sort()).toEqual(['arr_0', 'arr_1', 'mean']);
      expect(arrays.get('arr_0')).toEqual({ shape: [2, 3], dtype: 'float32', data: Float32Array.from([0, 1, 2, 3, 4, 5]) });
      expect(arrays.get('arr_1')).toEqual({ shape: [2], dtype: 'float64', data: Float64Array.from([0.5, -1.5]) });
      expect(arrays.get('mean')!.data).toEqual(Float64Array.from([0.25, 0.25, 0.25]));
    }
  });

  it('writes archives numpy reads', () => {
    const file = tmp('ours.npz');
    const bytes = writeNpz([
      { key: 'arr_0', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) },
      { key: 'scale', shape: [3], data: Float64Array.from([255, 255, 1]) },
    ]);
    writeFileSync(file, bytes);
    const out = runPython([
      '-c',
      `import numpy as np, json; z = np.load('${file}'); print(json.dumps({k: [z[k].dtype.str, list(z[k].shape), z[k].ravel().tolist()] for k in z.files}))`,
    ]);
    expect(JSON.parse(out)).toEqual({ arr_0: ['<f4', [2, 2], [1, 2, 3, 4]], scale: ['<f8', [3], [255, 255, 1]] });
    expect(readNpz(bytes, 10).get('scale')!.data).toEqual(Float64Array.from([255, 255, 1]));
  });

  it('refuses damaged, truncated and oversized archives with the reason', () => {
    const good = writeNpz([{ key: 'arr_0', shape: [4], data: Float32Array.from([1, 2, 3, 4]) }]);
    const flipped = good.slice();
    const at = good.indexOf(0x93) + 130; // a data byte: the CRC no longer matches
    flipped[at] = flipped[at]! ^ 0xff;
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /too short/],
      [new TextEncoder().encode('not a zip archive at all, just text'), /not a zip archive/],
      [good.subarray(0, good.length - 10), /not a zip archive, or it is cut short/],
      [good.subarray(60), /outside the file|damaged|missing/],
      [flipped, /CRC-32/],
      [writeNpz([]), /no arrays/],
      [
        writeNpz(Array.from({ length: MAX_NPZ_ENTRIES + 1 }, (_, i) => ({ key: `a${i}`, shape: [1], data: new Float32Array(1) }))),
        /at most 64/,
      ],
      [writeNpz([{ key: 'x', shape: [4000], data: new Float32Array(4000) }]), /more than any array/],
      [writeNpz([{ key: 'x', shape: [1000], data: new Float32Array(1000) }]), /x\.npy: it holds 1,000 values/],
    ];
    for (const [bytes, reason] of cases) {
      expect(() => readNpz(bytes, 100), reason.source).toThrow(NpzError);
      expect(() => readNpz(bytes, 100), reason.source).toThrow(reason);
    }
  });

  it('names the entry whose .npy is refused', () => {
    const file = tmp('bigendian.npz');
    runPython(['-c', `import numpy as np; np.savez('${file}', np.zeros(3, dtype='>f4'))`]);
    expect(() => readNpz(new Uint8Array(readFileSync(file)), 100)).toThrow("arr_0.npy: its dtype is '>f4'");
  });
});
