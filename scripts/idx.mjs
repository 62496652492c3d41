// IDX (the original MNIST file format) and PNG helpers shared by the data
// script, the benchmark and the unit tests. Node only.
import { deflateSync, crc32 } from 'node:zlib';

/** Magic numbers of the two IDX kinds MNIST uses (uint8 data, 3 or 1 dims). */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

/** Thrown for any malformed IDX input; the message names the file. */
export class IdxError extends Error {}

/**
 * Parses an IDX file of MNIST images.
 * @returns count, rows, cols and the pixels as one uint8 array [count * rows * cols].
 */
export function parseIdxImages(buf, name = 'images file') {
  if (buf.length < 16) throw new IdxError(`${name}: too short for an IDX image header (${buf.length} bytes)`);
  const magic = buf.readUInt32BE(0);
  if (magic !== IDX_IMAGES_MAGIC) {
    throw new IdxError(`${name}: bad magic number 0x${magic.toString(16).padStart(8, '0')}, expected 0x00000803 (uint8, 3 dimensions)`);
  }
  const count = buf.readUInt32BE(4);
  const rows = buf.readUInt32BE(8);
  const cols = buf.readUInt32BE(12);
  if (rows !== 28 || cols !== 28) throw new IdxError(`${name}: images are ${rows}x${cols}, expected 28x28`);
  const expected = 16 + count * rows * cols;
  if (buf.length !== expected) {
    throw new IdxError(`${name}: ${buf.length} bytes, expected ${expected} for ${count} images (truncated or corrupt)`);
  }
  return { count, rows, cols, pixels: new Uint8Array(buf.buffer, buf.byteOffset + 16, count * rows * cols) };
}

/** Parses an IDX file of labels; every label must be a digit 0..9. */
export function parseIdxLabels(buf, name = 'labels file') {
  if (buf.length < 8) throw new IdxError(`${name}: too short for an IDX label header (${buf.length} bytes)`);
  const magic = buf.readUInt32BE(0);
  if (magic !== IDX_LABELS_MAGIC) {
    throw new IdxError(`${name}: bad magic number 0x${magic.toString(16).padStart(8, '0')}, expected 0x00000801 (uint8, 1 dimension)`);
  }
  const count = buf.readUInt32BE(4);
  if (buf.length !== 8 + count) {
    throw new IdxError(`${name}: ${buf.length} bytes, expected ${8 + count} for ${count} labels (truncated or corrupt)`);
  }
  const labels = new Uint8Array(buf.buffer, buf.byteOffset + 8, count);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new IdxError(`${name}: label ${labels[bad]} at index ${bad} is not a digit`);
  return { count, labels };
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Encodes 8-bit grayscale pixels [height * width] as a PNG (filter 0 on every
 * row: each row is a different digit, so the "up" filter buys nothing).
 */
export function encodeGrayPng(pixels, width, height) {
  if (pixels.length !== width * height) throw new Error(`encodeGrayPng: ${pixels.length} pixels for ${width}x${height}`);
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: grayscale
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
