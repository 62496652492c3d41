/**
 * Where everything lives in the kernel's memory for one run's shape. Pure: the
 * host computes the layout, allocates a WebAssembly.Memory of exactly
 * `bytes` (initial = maximum, so it can never grow), writes the descriptor
 * (`descriptor`, read by assembly/slots.ts) and only then makes its views.
 *
 * Weights are stored per layer as W [inputs, padded units] then b [padded
 * units], the units padded with zeros to a multiple of 4 so every SIMD loop
 * runs whole vectors; `unpadInto`/`padFrom` convert to and from the flat
 * layout of mlp.ts (W [inputs, units], b [units]).
 */
import { IMAGE_PIXELS } from '../../shared/constants';
import type { Activation, Optimizer } from '../../shared/trainConfig';

/** Global descriptor slots (numbers shared with assembly/slots.ts; a test compares them). */
export const SLOT = {
  LAYERS: 0,
  ACTIVATION: 1,
  OPTIMIZER: 2,
  SPARSE: 3,
  BATCH_CAP: 4,
  RNG: 5,
  PARAM_COUNT: 6,
  IMAGES: 8,
  LABELS: 9,
  ORDER: 10,
  MEAN: 12,
  SCALE: 13,
  MEAN_SCALE: 14,
  FOLD: 15,
  BATCH_BYTES: 16,
  BATCH_LABELS: 17,
  BATCH_PIXELS: 18,
  NZ_COUNT: 19,
  NZ_INDEX: 20,
  NZ_VALUE: 21,
  DENSE_X: 22,
  STATS: 23,
  PROBS: 24,
  PARAMS: 25,
  GRADS: 26,
  M: 27,
  V: 28,
  PIXEL_END: 29,
  ENTRY_ROW: 30,
  ENTRY_VALUE: 31,
} as const;

/** Per-layer slots: LAYER_BASE + LAYER_STRIDE * l + field. */
export const LAYER_BASE = 32;
export const LAYER_STRIDE = 16;
export const LAYER = { INPUTS: 0, UNITS: 1, PADDED: 2, W: 3, B: 4, Z: 5, A: 6, H: 7, MASK: 8, D: 9 } as const;

export const ACTIVATION_CODE: Record<Activation, number> = { relu: 0, tanh: 1, sigmoid: 2, elu: 3 };
export const OPTIMIZER_CODE: Record<Optimizer, number> = { sgd: 0, adam: 1, rmsprop: 2 };

/** The first 64 KiB page is the module's own (its static data ends at `heapBase()`, checked when instantiated). */
export const RESERVED_BYTES = 65536;
const PAGE = 65536;
/** The descriptor's size in i32 slots (9 layers at most: 8 hidden and the output). */
const DESCRIPTOR_SLOTS = LAYER_BASE + LAYER_STRIDE * 9;

/** What decides the memory: the network, the batch, the images held, and what the step must keep. */
export interface KernelShape {
  /** Layer widths, e.g. [784, 64, 64, 10]. */
  sizes: readonly number[];
  activation: Activation;
  optimizer: Optimizer;
  /** Rows the batch buffers hold (training batch and inference chunk). */
  batchCap: number;
  /** Training images held in memory (0: batches always come from the host). */
  trainRows: number;
  /** Validation images held in memory. */
  evalRows: number;
  /** Sparse first layer (the standardisation folded in) or dense standardised rows. */
  sparse: boolean;
  dropout: boolean;
  /** Keep each layer's sums z apart from its activations, and every layer's deltas (a traced step). */
  keepAll: boolean;
}

/** One dense layer's place in the memory. */
export interface LayerPlace {
  inputs: number;
  units: number;
  /** units rounded up to a multiple of 4. */
  padded: number;
  /** Float offsets of W and b in the params/grads/m/v regions. */
  w: number;
  b: number;
  /** Byte addresses of the [batchCap, padded] buffers (0 where not kept). */
  z: number;
  a: number;
  h: number;
  mask: number;
  d: number;
}

export interface KernelLayout {
  shape: KernelShape;
  bytes: number;
  pages: number;
  /** Byte address of the descriptor (the `init` argument). */
  descriptor: number;
  /** The descriptor's contents, to write at `descriptor`. */
  slots: Int32Array;
  layers: LayerPlace[];
  /** Floats in each of params, grads, m, v. */
  paramCount: number;
  /** Byte addresses of the regions (0 where absent). */
  at: Record<
    | 'stats'
    | 'mean'
    | 'scale'
    | 'meanScale'
    | 'fold'
    | 'params'
    | 'grads'
    | 'm'
    | 'v'
    | 'pixelEnd'
    | 'entryRow'
    | 'entryValue'
    | 'batchBytes'
    | 'batchLabels'
    | 'batchPixels'
    | 'nzCount'
    | 'nzIndex'
    | 'nzValue'
    | 'denseX'
    | 'probs'
    | 'images'
    | 'labels'
    | 'order'
    | 'evalImages'
    | 'evalLabels',
    number
  >;
}

export const padTo4 = (n: number) => Math.ceil(n / 4) * 4;

/** The layout of `shape`; throws a plain Error when it needs more than 4 GiB. */
export function kernelLayout(shape: KernelShape): KernelLayout {
  const { sizes, batchCap: cap } = shape;
  if (sizes[0] !== IMAGE_PIXELS) throw new Error(`the kernel takes ${IMAGE_PIXELS} inputs, not ${sizes[0]}`);
  const layerCount = sizes.length - 1;
  if (layerCount < 1 || layerCount > 9) throw new Error(`the kernel takes 1 to 9 dense layers, not ${layerCount}`);
  let end = RESERVED_BYTES;
  const take = (bytes: number): number => {
    const at = end;
    end += Math.ceil(bytes / 16) * 16;
    return at;
  };
  const descriptor = take(DESCRIPTOR_SLOTS * 4);
  const layers: LayerPlace[] = [];
  let paramCount = 0;
  for (let l = 0; l < layerCount; l++) {
    const inputs = sizes[l]!;
    const units = sizes[l + 1]!;
    const padded = padTo4(units);
    layers.push({ inputs, units, padded, w: paramCount, b: paramCount + inputs * padded, z: 0, a: 0, h: 0, mask: 0, d: 0 });
    paramCount += inputs * padded + padded;
  }
  const first = layers[0]!;
  const at = {} as KernelLayout['at'];
  at.stats = take(16);
  at.mean = take(IMAGE_PIXELS * 4);
  at.scale = take(IMAGE_PIXELS * 4);
  at.meanScale = take(IMAGE_PIXELS * 4);
  at.fold = take(first.padded * 4);
  at.params = take(paramCount * 4);
  at.grads = take(paramCount * 4);
  at.m = shape.optimizer === 'adam' ? take(paramCount * 4) : 0;
  at.v = shape.optimizer === 'sgd' ? 0 : take(paramCount * 4);
  at.pixelEnd = shape.sparse ? take((IMAGE_PIXELS + 1) * 4) : 0;
  at.entryRow = shape.sparse ? take(cap * IMAGE_PIXELS * 4) : 0;
  at.entryValue = shape.sparse ? take(cap * IMAGE_PIXELS * 4) : 0;
  at.batchBytes = take(cap * IMAGE_PIXELS);
  at.batchLabels = take(cap * 4);
  at.batchPixels = take(cap * IMAGE_PIXELS * 4);
  at.nzCount = take(cap * 4);
  at.nzIndex = take(cap * IMAGE_PIXELS * 4);
  at.nzValue = take(cap * IMAGE_PIXELS * 4);
  at.denseX = shape.sparse ? 0 : take(cap * IMAGE_PIXELS * 4);
  at.probs = take(cap * layers.at(-1)!.padded * 4);
  const widest = Math.max(...layers.map((p) => p.padded));
  // Without keepAll the deltas alternate between two buffers (layer l writes l-1's while reading its own).
  const deltas = shape.keepAll ? [] : [take(cap * widest * 4), take(cap * widest * 4)];
  layers.forEach((p, l) => {
    const rowsBytes = cap * p.padded * 4;
    const hidden = l + 1 < layerCount;
    p.z = take(rowsBytes);
    p.a = hidden ? (shape.keepAll ? take(rowsBytes) : p.z) : 0;
    p.h = hidden ? (shape.dropout ? take(rowsBytes) : p.a) : 0;
    p.mask = hidden && shape.dropout ? take(rowsBytes) : 0;
    p.d = shape.keepAll ? take(rowsBytes) : deltas[l % 2]!;
  });
  at.images = shape.trainRows ? take(shape.trainRows * IMAGE_PIXELS) : 0;
  at.labels = shape.trainRows ? take(shape.trainRows) : 0;
  at.order = shape.trainRows ? take(shape.trainRows * 4) : 0;
  at.evalImages = shape.evalRows ? take(shape.evalRows * IMAGE_PIXELS) : 0;
  at.evalLabels = shape.evalRows ? take(shape.evalRows) : 0;
  if (end > 2 ** 32) throw new Error(`this configuration needs ${(end / 2 ** 30).toFixed(1)} GiB of kernel memory (4 GiB at most)`);

  const slots = new Int32Array(DESCRIPTOR_SLOTS);
  slots[SLOT.LAYERS] = layerCount;
  slots[SLOT.ACTIVATION] = ACTIVATION_CODE[shape.activation];
  slots[SLOT.OPTIMIZER] = OPTIMIZER_CODE[shape.optimizer];
  slots[SLOT.SPARSE] = shape.sparse ? 1 : 0;
  slots[SLOT.BATCH_CAP] = cap;
  slots[SLOT.PARAM_COUNT] = paramCount;
  slots[SLOT.IMAGES] = at.images;
  slots[SLOT.LABELS] = at.labels;
  slots[SLOT.ORDER] = at.order;
  slots[SLOT.MEAN] = at.mean;
  slots[SLOT.SCALE] = at.scale;
  slots[SLOT.MEAN_SCALE] = at.meanScale;
  slots[SLOT.FOLD] = at.fold;
  slots[SLOT.BATCH_BYTES] = at.batchBytes;
  slots[SLOT.BATCH_LABELS] = at.batchLabels;
  slots[SLOT.BATCH_PIXELS] = at.batchPixels;
  slots[SLOT.NZ_COUNT] = at.nzCount;
  slots[SLOT.NZ_INDEX] = at.nzIndex;
  slots[SLOT.NZ_VALUE] = at.nzValue;
  slots[SLOT.DENSE_X] = at.denseX;
  slots[SLOT.STATS] = at.stats;
  slots[SLOT.PROBS] = at.probs;
  slots[SLOT.PARAMS] = at.params;
  slots[SLOT.GRADS] = at.grads;
  slots[SLOT.M] = at.m;
  slots[SLOT.V] = at.v;
  slots[SLOT.PIXEL_END] = at.pixelEnd;
  slots[SLOT.ENTRY_ROW] = at.entryRow;
  slots[SLOT.ENTRY_VALUE] = at.entryValue;
  layers.forEach((p, l) => {
    const o = LAYER_BASE + LAYER_STRIDE * l;
    slots[o + LAYER.INPUTS] = p.inputs;
    slots[o + LAYER.UNITS] = p.units;
    slots[o + LAYER.PADDED] = p.padded;
    slots[o + LAYER.W] = p.w;
    slots[o + LAYER.B] = p.b;
    slots[o + LAYER.Z] = p.z;
    slots[o + LAYER.A] = p.a;
    slots[o + LAYER.H] = p.h;
    slots[o + LAYER.MASK] = p.mask;
    slots[o + LAYER.D] = p.d;
  });
  return { shape, bytes: end, pages: Math.ceil(end / PAGE), descriptor, slots, layers, paramCount, at };
}

/**
 * Copies a padded region (params, grads, m or v) into the flat layout of mlp.ts.
 * @param padded [paramCount] floats; @param flat [parameterCount(sizes)] floats, written.
 */
export function unpadInto(layers: readonly LayerPlace[], padded: Float32Array, flat: Float32Array): Float32Array {
  let off = 0;
  for (const p of layers) {
    for (let k = 0; k < p.inputs; k++) {
      flat.set(padded.subarray(p.w + k * p.padded, p.w + k * p.padded + p.units), off);
      off += p.units;
    }
    flat.set(padded.subarray(p.b, p.b + p.units), off);
    off += p.units;
  }
  return flat;
}

/** Writes the flat layout of mlp.ts into a padded region (the padding stays 0). */
export function padFrom(layers: readonly LayerPlace[], flat: Float32Array, padded: Float32Array): void {
  let off = 0;
  for (const p of layers) {
    for (let k = 0; k < p.inputs; k++) {
      padded.set(flat.subarray(off, off + p.units), p.w + k * p.padded);
      off += p.units;
    }
    padded.set(flat.subarray(off, off + p.units), p.b);
    off += p.units;
  }
}
