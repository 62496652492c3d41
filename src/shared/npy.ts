/**
 * NumPy's `.npy` format (one array per file), read strictly and written as numpy writes it.
 * Pure: bytes in, typed arrays out; no DOM, no tf.
 *
 * Layout (numpy.lib.format): the magic `\x93NUMPY`, a major and a minor version byte, the header
 * length (uint16 LE in version 1.0, uint32 LE in 2.0 and 3.0), the header (a Python dict literal,
 * e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (784, 64), }`, space-padded, ending in
 * "\n"), then the data in C order. Only what a Keras model's weights need is read: little-endian
 * float32 (`<f4`) or float64 (`<f8`), C order, with a bounded header and element count.
 */

/** Largest header read, bytes (numpy 1.24 refuses longer ones too: `_MAX_HEADER_SIZE`). */
export const MAX_NPY_HEADER_BYTES = 10_000;
/** Most dimensions an array may have. */
export const MAX_NPY_DIMS = 8;

/** A refused `.npy` file, with a sentence saying why. */
export class NpyError extends Error {
  override name = 'NpyError';
}

/** One array as read: its shape and its values (float32 or float64, C order). */
export interface NpyArray {
  /** e.g. [784, 64]; [] for a scalar. */
  shape: number[];
  /** `<f4` or `<f8`. */
  dtype: 'float32' | 'float64';
  /** prod(shape) values, row-major. */
  data: Float32Array | Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DESCR: Record<string, NpyArray['dtype']> = { '<f4': 'float32', '<f8': 'float64' };

// ------------------------------------------------------------------ header

/** A value of the header's Python literal: a string, a boolean, or a tuple of integers. */
type Literal = string | boolean | number[];

/** A tiny reader of the Python literal subset numpy writes (`repr` of a dict of str, bool, tuple of int). */
class LiteralReader {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(what: string): never {
    throw new NpyError(`its header is not a dict numpy writes (${what} at character ${this.i})`);
  }
  private space(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i++;
  }
  private eat(c: string): boolean {
    this.space();
    if (this.s[this.i] !== c) return false;
    this.i++;
    return true;
  }
  private string(): string {
    this.space();
    const q = this.s[this.i];
    if (q !== "'" && q !== '"') this.fail('expected a string');
    const end = this.s.indexOf(q, this.i + 1);
    if (end < 0) this.fail('unterminated string');
    const text = this.s.slice(this.i + 1, end);
    if (text.includes('\\')) this.fail('escape in a string');
    this.i = end + 1;
    return text;
  }
  private value(): Literal {
    this.space();
    const c = this.s[this.i];
    if (c === "'" || c === '"') return this.string();
    if (this.s.startsWith('True', this.i)) {
      this.i += 4;
      return true;
    }
    if (this.s.startsWith('False', this.i)) {
      this.i += 5;
      return false;
    }
    if (c === '(') return this.tuple();
    return this.fail('unexpected value');
  }
  private tuple(): number[] {
    this.eat('(');
    const out: number[] = [];
    while (!this.eat(')')) {
      this.space();
      const m = /^\d{1,12}/.exec(this.s.slice(this.i, this.i + 13));
      if (!m) this.fail('expected a whole number in the shape');
      out.push(Number(m[0]));
      this.i += m[0].length;
      if (out.length > MAX_NPY_DIMS) this.fail(`more than ${MAX_NPY_DIMS} dimensions`);
      if (!this.eat(',')) {
        if (!this.eat(')')) this.fail('expected "," or ")" in the shape');
        break;
      }
    }
    return out;
  }
  /** The whole header as a dict; nothing but padding may follow. */
  dict(): Map<string, Literal> {
    const out = new Map<string, Literal>();
    if (!this.eat('{')) this.fail('expected "{"');
    while (!this.eat('}')) {
      const key = this.string();
      if (!this.eat(':')) this.fail('expected ":"');
      if (out.has(key)) this.fail(`key '${key}' twice`);
      out.set(key, this.value());
      if (!this.eat(',')) {
        if (!this.eat('}')) this.fail('expected "," or "}"');
        break;
      }
    }
    this.space();
    if (this.i !== this.s.length) this.fail('text after the dict');
    return out;
  }
}

/** The three fields of a header, checked. */
function parseHeader(text: string): { dtype: NpyArray['dtype']; shape: number[] } {
  const dict = new LiteralReader(text).dict();
  const keys = [...dict.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape')
    throw new NpyError(`its header has the keys ${keys || 'none'} (expected descr, fortran_order, shape)`);
  const descr = dict.get('descr');
  const dtype = typeof descr === 'string' ? DESCR[descr] : undefined;
  if (!dtype) {
    const got = typeof descr === 'string' ? `'${descr}'` : 'not a string';
    throw new NpyError(`its dtype is ${got}: only little-endian float32 ('<f4') or float64 ('<f8') is read`);
  }
  if (dict.get('fortran_order') !== false)
    throw new NpyError('it is stored in Fortran order: save a C-ordered array (np.ascontiguousarray)');
  const shape = dict.get('shape');
  if (!Array.isArray(shape)) throw new NpyError('its shape is not a tuple');
  return { dtype, shape };
}

// ------------------------------------------------------------------ read

/**
 * Reads one `.npy` file.
 * @param maxElements the most values accepted (bounds the allocation before it is made).
 * @throws NpyError with the reason, for anything but a little-endian float32/float64 C-order array.
 */
export function readNpy(bytes: Uint8Array, maxElements: number): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyError('it is not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (minor !== 0 || major < 1 || major > 3) throw new NpyError(`its format version ${major}.${minor} is not 1.0, 2.0 or 3.0`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new NpyError('it ends inside its header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_NPY_HEADER_BYTES)
    throw new NpyError(
      `its header is ${headerLength.toLocaleString('en-US')} bytes (at most ${MAX_NPY_HEADER_BYTES.toLocaleString('en-US')})`,
    );
  const start = 8 + lengthBytes;
  if (bytes.length < start + headerLength) throw new NpyError('it ends inside its header');
  const raw = bytes.subarray(start, start + headerLength);
  // Versions 1.0 and 2.0 are latin-1; 3.0 is UTF-8. Either way the fields we accept are ASCII.
  if (raw.some((b) => b > 0x7e || (b < 0x20 && b !== 0x0a && b !== 0x09 && b !== 0x0d))) throw new NpyError('its header is not plain text');
  const { dtype, shape } = parseHeader(String.fromCharCode(...raw));

  let count = 1;
  for (const d of shape) count *= d;
  if (count > maxElements)
    throw new NpyError(`it holds ${count.toLocaleString('en-US')} values (at most ${maxElements.toLocaleString('en-US')} are read)`);
  const itemBytes = dtype === 'float32' ? 4 : 8;
  const dataStart = start + headerLength;
  const expected = count * itemBytes;
  if (bytes.length - dataStart !== expected) {
    const got = (bytes.length - dataStart).toLocaleString('en-US');
    throw new NpyError(`it holds ${got} bytes of data but its header describes ${expected.toLocaleString('en-US')}`);
  }
  // Copy (the source may be unaligned), reading little-endian whatever the machine.
  const data = dtype === 'float32' ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    data[i] = dtype === 'float32' ? view.getFloat32(dataStart + i * 4, true) : view.getFloat64(dataStart + i * 8, true);
  }
  return { shape: [...shape], dtype, data };
}

// ------------------------------------------------------------------ write

/** numpy aligns the data to 64 bytes (numpy.lib.format.ARRAY_ALIGN). */
const ALIGN = 64;

/**
 * Writes one array as numpy's `np.save` does (format 1.0, C order, little-endian).
 * @param data prod(shape) values; float32 unless a Float64Array is given.
 */
export function writeNpy(shape: readonly number[], data: Float32Array | Float64Array): Uint8Array {
  const count = shape.reduce((a, d) => a * d, 1);
  if (count !== data.length) throw new RangeError(`shape ${shape.join('x')} needs ${count} values, got ${data.length}`);
  const f64 = data instanceof Float64Array;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${f64 ? '<f8' : '<f4'}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((ALIGN - (total % ALIGN)) % ALIGN) + '\n';
  const itemBytes = f64 ? 8 : 4;
  const out = new Uint8Array(10 + header.length + count * itemBytes);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const start = 10 + header.length;
  for (let i = 0; i < count; i++) {
    if (f64) view.setFloat64(start + i * 8, data[i]!, true);
    else view.setFloat32(start + i * 4, data[i]!, true);
  }
  return out;
}
