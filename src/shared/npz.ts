/**
 * NumPy's `.npz` (`np.savez`): a zip archive of `.npy` files, one per array, named `<key>.npy`.
 * Read strictly with bounded sizes (stored entries, as `np.savez` writes them, and deflated ones,
 * as `np.savez_compressed` does), written as stored entries. Pure: no DOM, no tf.
 *
 * Why fflate for inflating rather than `DecompressionStream('deflate-raw')`: it is synchronous, so
 * the reader is one pure function that runs the same in Node's tests (thousands of fuzzed inputs)
 * and in the page, and it writes into a buffer of the size the archive declares, so a zip bomb
 * cannot allocate more than that bound (8 kB, no dependencies).
 *
 * The central directory is the source of truth (names, sizes, CRC-32, offsets), as in Python's
 * zipfile; `np.savez` forces ZIP64 local headers (sizes 0xFFFFFFFF there, real ones in the extra
 * field), so local headers are only used to find where each entry's data starts.
 */
import { inflateSync } from 'fflate';
import { MAX_NPY_HEADER_BYTES, NpyError, readNpy, writeNpy, type NpyArray } from './npy';

/** Largest `.npz` file read, bytes. */
export const MAX_NPZ_BYTES = 48_000_000;
/** Largest total of the arrays once unpacked, bytes. */
export const MAX_NPZ_UNPACKED_BYTES = 96_000_000;
/** Most arrays in one archive. */
export const MAX_NPZ_ENTRIES = 64;

/** A refused `.npz` file, with a sentence saying why (no other error leaves `readNpz`). */
export class NpzError extends Error {
  override name = 'NpzError';
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;

// ------------------------------------------------------------------ CRC-32 (zip's, polynomial 0xEDB88320)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ------------------------------------------------------------------ read

interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** A zip64 extended-information extra field's values, for the fields the main record left at 0xFFFFFFFF. */
function zip64Values(view: DataView, start: number, length: number, wanted: number): number[] | null {
  let p = start;
  const end = start + length;
  while (p + 4 <= end) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (p + 4 + size > end) return null;
    if (id === 0x0001) {
      if (size < wanted * 8) return null;
      const out: number[] = [];
      for (let k = 0; k < wanted; k++) {
        const lo = view.getUint32(p + 4 + k * 8, true);
        const hi = view.getUint32(p + 8 + k * 8, true);
        out.push(hi * 2 ** 32 + lo);
      }
      return out;
    }
    p += 4 + size;
  }
  return null;
}

function centralDirectory(bytes: Uint8Array, view: DataView): Entry[] {
  // The end record is in the last 22 + 65,535 bytes (its comment is at most 65,535 bytes).
  let end = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 0xffff); p--) {
    if (view.getUint32(p, true) === SIG_END) {
      end = p;
      break;
    }
  }
  if (end < 0) throw new NpzError('it is not a zip archive, or it is cut short (no end of central directory)');
  const count = view.getUint16(end + 10, true);
  const dirSize = view.getUint32(end + 12, true);
  const dirOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) throw new NpzError('it is a ZIP64 archive too large to read here');
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0) throw new NpzError('it is a multi-part zip archive');
  if (count > MAX_NPZ_ENTRIES) throw new NpzError(`it holds ${count} arrays (at most ${MAX_NPZ_ENTRIES})`);
  if (dirOffset + dirSize > end) throw new NpzError('its central directory lies outside the file (cut short?)');

  const entries: Entry[] = [];
  let p = dirOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > end || view.getUint32(p, true) !== SIG_CENTRAL) throw new NpzError('its central directory is damaged');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > end) throw new NpzError('its central directory is damaged');
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLength);
    if (nameBytes.some((b) => b < 0x20 || b > 0x7e)) throw new NpzError('it holds an entry whose name is not plain text');
    const name = String.fromCharCode(...nameBytes);
    const wide = [size, compressedSize, localOffset].filter((v) => v === 0xffffffff).length;
    if (wide > 0) {
      const values = zip64Values(view, p + 46 + nameLength, extraLength, wide);
      if (!values) throw new NpzError(`entry ${name}: its ZIP64 sizes are missing`);
      let v = 0;
      if (size === 0xffffffff) size = values[v++]!;
      if (compressedSize === 0xffffffff) compressedSize = values[v++]!;
      if (localOffset === 0xffffffff) localOffset = values[v++]!;
    }
    entries.push({ name, method, flags, crc, compressedSize, size, localOffset });
    p = next;
  }
  return entries;
}

/** Where an entry's data starts: after its local header, name and extra field. */
function dataStart(view: DataView, e: Entry, limit: number): number {
  const p = e.localOffset;
  if (p + 30 > limit || view.getUint32(p, true) !== SIG_LOCAL)
    throw new NpzError(`entry ${e.name}: its local header is missing (cut short?)`);
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  if (start + e.compressedSize > limit) throw new NpzError(`entry ${e.name} is cut short`);
  return start;
}

/** The unpacked bytes of one entry, checked against its size and CRC-32. */
function entryBytes(bytes: Uint8Array, view: DataView, e: Entry, limit: number): Uint8Array {
  if (e.flags & 0x1) throw new NpzError(`entry ${e.name} is encrypted`);
  const start = dataStart(view, e, limit);
  const packed = bytes.subarray(start, start + e.compressedSize);
  let out: Uint8Array;
  if (e.method === STORED) {
    if (e.compressedSize !== e.size) throw new NpzError(`entry ${e.name}: stored, but its two sizes differ`);
    out = packed;
  } else if (e.method === DEFLATED) {
    try {
      // Never more than the declared size: a larger stream is cut to it, and caught below.
      out = inflateSync(packed, { out: new Uint8Array(e.size) });
    } catch (err) {
      throw new NpzError(`entry ${e.name} is damaged (${err instanceof Error ? err.message : 'inflate failed'})`);
    }
    if (out.length !== e.size) throw new NpzError(`entry ${e.name} unpacks to another size than it declares`);
  } else {
    throw new NpzError(`entry ${e.name} uses compression method ${e.method} (only stored and deflated are read)`);
  }
  if (crc32(out) !== e.crc) throw new NpzError(`entry ${e.name} is damaged (its CRC-32 does not match)`);
  return out;
}

/**
 * Reads an `.npz` archive: every `<key>.npy` entry as an array, by key (`arr_0`, `mean`, ...).
 * @param maxElements the most values accepted in any one array.
 * @throws NpzError with the reason (for a damaged archive, a bad entry, or sizes over the bounds); nothing else.
 */
export function readNpz(bytes: Uint8Array, maxElements: number): Map<string, NpyArray> {
  if (bytes.length > MAX_NPZ_BYTES)
    throw new NpzError(`it is ${(bytes.length / 1e6).toFixed(1)} MB (at most ${(MAX_NPZ_BYTES / 1e6).toFixed(0)} MB)`);
  if (bytes.length < 22) throw new NpzError('it is not a zip archive (too short)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = centralDirectory(bytes, view);
  if (entries.length === 0) throw new NpzError('it holds no arrays');
  const total = entries.reduce((a, e) => a + e.size, 0);
  if (total > MAX_NPZ_UNPACKED_BYTES)
    throw new NpzError(`its arrays unpack to ${(total / 1e6).toFixed(1)} MB (at most ${(MAX_NPZ_UNPACKED_BYTES / 1e6).toFixed(0)} MB)`);
  const out = new Map<string, NpyArray>();
  for (const e of entries) {
    if (!e.name.endsWith('.npy')) throw new NpzError(`it holds ${e.name}, which is not a .npy array`);
    const key = e.name.slice(0, -4);
    if (out.has(key)) throw new NpzError(`it holds ${e.name} twice`);
    // Checked before unpacking, so nothing larger than an acceptable array is ever allocated.
    if (e.size > 12 + MAX_NPY_HEADER_BYTES + maxElements * 8)
      throw new NpzError(`${e.name} unpacks to ${e.size.toLocaleString('en-US')} bytes, more than any array read here`);
    try {
      out.set(key, readNpy(entryBytes(bytes, view, e, bytes.length), maxElements));
    } catch (err) {
      if (err instanceof NpyError) throw new NpzError(`${e.name}: ${err.message}`);
      throw err;
    }
  }
  return out;
}

// ------------------------------------------------------------------ write

/**
 * Writes arrays as `np.savez` does (stored entries, `<key>.npy`), readable by `np.load`.
 * @param arrays in the order they go into the archive (`arr_0`, `arr_1`, ..., then named ones).
 */
export function writeNpz(
  arrays: readonly { key: string; shape: readonly number[]; data: Float32Array | Float64Array }[],
): Uint8Array<ArrayBuffer> {
  const files = arrays.map((a) => {
    const name = new TextEncoder().encode(`${a.key}.npy`);
    const data = writeNpy(a.shape, a.data);
    return { name, data, crc: crc32(data) };
  });
  const localSize = files.reduce((n, f) => n + 30 + f.name.length + f.data.length, 0);
  const dirSize = files.reduce((n, f) => n + 46 + f.name.length, 0);
  const out = new Uint8Array(localSize + dirSize + 22);
  const view = new DataView(out.buffer);
  // A fixed date (1980-01-01 00:00): the archive depends on the arrays only.
  const DOS_DATE = (0 << 9) | (1 << 5) | 1;
  let p = 0;
  const offsets: number[] = [];
  for (const f of files) {
    offsets.push(p);
    view.setUint32(p, SIG_LOCAL, true);
    view.setUint16(p + 4, 20, true); // version needed: 2.0
    view.setUint16(p + 6, 0, true);
    view.setUint16(p + 8, STORED, true);
    view.setUint16(p + 10, 0, true);
    view.setUint16(p + 12, DOS_DATE, true);
    view.setUint32(p + 14, f.crc, true);
    view.setUint32(p + 18, f.data.length, true);
    view.setUint32(p + 22, f.data.length, true);
    view.setUint16(p + 26, f.name.length, true);
    view.setUint16(p + 28, 0, true);
    out.set(f.name, p + 30);
    out.set(f.data, p + 30 + f.name.length);
    p += 30 + f.name.length + f.data.length;
  }
  const dirOffset = p;
  files.forEach((f, k) => {
    view.setUint32(p, SIG_CENTRAL, true);
    view.setUint16(p + 4, 20, true); // made by: 2.0
    view.setUint16(p + 6, 20, true);
    view.setUint16(p + 8, 0, true);
    view.setUint16(p + 10, STORED, true);
    view.setUint16(p + 12, 0, true);
    view.setUint16(p + 14, DOS_DATE, true);
    view.setUint32(p + 16, f.crc, true);
    view.setUint32(p + 20, f.data.length, true);
    view.setUint32(p + 24, f.data.length, true);
    view.setUint16(p + 28, f.name.length, true);
    // extra, comment, disk, internal and external attributes: 0
    view.setUint32(p + 42, offsets[k]!, true);
    out.set(f.name, p + 46);
    p += 46 + f.name.length;
  });
  view.setUint32(p, SIG_END, true);
  view.setUint16(p + 8, files.length, true);
  view.setUint16(p + 10, files.length, true);
  view.setUint32(p + 12, p - dirOffset, true);
  view.setUint32(p + 16, dirOffset, true);
  return out;
}
