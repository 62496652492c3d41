/**
 * One instance of the compiled kernel with its memory, for one run's shape.
 * The memory is allocated here once, at its final size (initial = maximum: it
 * cannot grow), the descriptor is written, and only then are the typed views
 * made; they stay valid for the instance's life because the buffer never
 * changes. (The earlier rewrite wrote into TF.js's WASM heap, which grows and
 * so detaches views: training fell to chance. This memory is ours alone.)
 */
import { IMAGE_PIXELS } from '../../shared/constants';
import type { Normalizer } from '../split';
import { kernelLayout, padFrom, RESERVED_BYTES, SLOT, unpadInto, type KernelLayout, type KernelShape, type LayerPlace } from './layout';

/** The kernel's exports (assembly/index.ts). */
interface KernelExports {
  heapBase(): number;
  init(descriptor: number): void;
  train(source: number, start: number, rows: number, lr: number, rho: number, keep: number, flush: number): void;
  infer(source: number, images: number, labels: number, start: number, rows: number): void;
  applyGradients(lr: number, rho: number, flush: number): void;
}

/** Where a batch comes from (assembly/index.ts). */
export const SOURCE = { ROWS: 0, BYTES: 1, PIXELS: 2 } as const;

export type LayerBuffer = 'z' | 'a' | 'h' | 'mask' | 'd';

export class Kernel {
  readonly memory: WebAssembly.Memory;
  readonly layout: KernelLayout;
  private readonly fns: KernelExports;
  /** The padded parameter regions [paramCount]. */
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly m: Float32Array | null;
  readonly v: Float32Array | null;
  /** The batch buffers the host fills: bytes [cap * 784], labels [cap], pixels 0..1 [cap * 784]. */
  readonly batchBytes: Uint8Array;
  readonly batchLabels: Int32Array;
  readonly batchPixels: Float32Array;
  /** The last call's probabilities [cap * padded classes] and [loss sum, correct]. */
  readonly probs: Float32Array;
  readonly stats: Float64Array;
  /** The training images [trainRows * 784], labels and this epoch's order; the validation images and labels. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly order: Int32Array;
  readonly evalImages: Uint8Array;
  readonly evalLabels: Uint8Array;
  private readonly slots: Int32Array;

  /**
   * @param norm the model's normaliser (fixed for the instance's life).
   * @throws Error when the memory cannot be allocated or the module's own data overlaps the layout.
   */
  constructor(module: WebAssembly.Module, shape: KernelShape, norm: Normalizer) {
    this.layout = kernelLayout(shape);
    const { pages, at } = this.layout;
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.fns = instance.exports as unknown as KernelExports;
    if (this.fns.heapBase() > RESERVED_BYTES)
      throw new Error(`the kernel's static data (${this.fns.heapBase()} bytes) overlaps its layout`);
    const buf = this.memory.buffer;
    const f32 = (addr: number, n: number) => new Float32Array(buf, addr, n);
    const n = this.layout.paramCount;
    const cap = shape.batchCap;
    this.slots = new Int32Array(buf, this.layout.descriptor, this.layout.slots.length);
    this.slots.set(this.layout.slots);
    this.params = f32(at.params, n);
    this.grads = f32(at.grads, n);
    this.m = at.m ? f32(at.m, n) : null;
    this.v = at.v ? f32(at.v, n) : null;
    this.batchBytes = new Uint8Array(buf, at.batchBytes, cap * IMAGE_PIXELS);
    this.batchLabels = new Int32Array(buf, at.batchLabels, cap);
    this.batchPixels = f32(at.batchPixels, cap * IMAGE_PIXELS);
    this.probs = f32(at.probs, cap * this.layout.layers.at(-1)!.padded);
    this.stats = new Float64Array(buf, at.stats, 2);
    this.images = new Uint8Array(buf, at.images, shape.trainRows * IMAGE_PIXELS);
    this.labels = new Uint8Array(buf, at.labels, shape.trainRows);
    this.order = new Int32Array(buf, at.order, shape.trainRows);
    this.evalImages = new Uint8Array(buf, at.evalImages, shape.evalRows * IMAGE_PIXELS);
    this.evalLabels = new Uint8Array(buf, at.evalLabels, shape.evalRows);
    const mean = f32(at.mean, IMAGE_PIXELS);
    const scale = f32(at.scale, IMAGE_PIXELS);
    const meanScale = f32(at.meanScale, IMAGE_PIXELS);
    for (let j = 0; j < IMAGE_PIXELS; j++) {
      mean[j] = norm.mean[j]!;
      scale[j] = norm.invStd[j]!;
      meanScale[j] = Math.fround(norm.mean[j]! * norm.invStd[j]!);
    }
    this.fns.init(this.layout.descriptor);
  }

  get layers(): readonly LayerPlace[] {
    return this.layout.layers;
  }

  /** Dropout's generator state (u32). */
  get rngState(): number {
    return this.slots[SLOT.RNG]! >>> 0;
  }

  set rngState(s: number) {
    this.slots[SLOT.RNG] = s | 0;
  }

  /**
   * One training step of `rows` rows (see assembly/index.ts `train`).
   * @param lr the step size (Adam: with bias correction); @param rho beta2 or RMSprop's rho; @param keep 1 - dropout.
   */
  train(source: number, start: number, rows: number, lr: number, rho: number, keep: number, flush: boolean): void {
    this.fns.train(source, start, rows, lr, rho, keep, flush ? 1 : 0);
  }

  /** The optimizer's update alone, from the gradients in `grads` (tests). */
  applyGradients(lr: number, rho: number, flush: boolean): void {
    this.fns.applyGradients(lr, rho, flush ? 1 : 0);
  }

  /** The forward pass alone on the validation images' rows start .. start + rows (source ROWS) or the host's batch. */
  infer(source: number, start: number, rows: number): void {
    const { at } = this.layout;
    this.fns.infer(source, at.evalImages, at.evalLabels, start, rows);
  }

  /** A view of one layer's [rows, padded] buffer from the last call. */
  layerBuffer(l: number, which: LayerBuffer, rows: number): Float32Array | null {
    const p = this.layout.layers[l]!;
    const addr = p[which];
    return addr ? new Float32Array(this.memory.buffer, addr, rows * p.padded) : null;
  }

  /** The weights in the flat layout of mlp.ts. */
  readWeights(out = new Float32Array(flatCount(this.layers))): Float32Array {
    return unpadInto(this.layers, this.params, out);
  }

  writeWeights(flat: Float32Array): void {
    padFrom(this.layers, flat, this.params);
  }
}

/** Parameters in the flat (unpadded) layout. */
export function flatCount(layers: readonly LayerPlace[]): number {
  return layers.reduce((a, p) => a + p.inputs * p.units + p.units, 0);
}
