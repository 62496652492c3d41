// The fused training step of the MNIST playground's MLP, in WebAssembly SIMD.
//
// One call, `train`, does a whole step: assembles the batch (from the training
// images kept in this module's memory through the epoch's order, or from a batch
// the host wrote), runs the forward pass, the softmax cross-entropy head, the
// backward pass and the optimizer update, and leaves the batch's loss sum and
// correct count in the stats slot. `infer` is the same forward pass without the
// update (validation, predictions). The host (kernel/kernelStepper.ts) owns the
// memory: imported, allocated once per run at its final size, never grown, so no
// view of it can go stale. Nothing here allocates.
//
// The plain TypeScript version of the same step is kernel/reference.ts; the
// tests hold this one to it and both to a float64 reference.

import { activate, activationGradient, dropout, softmaxHead } from './pointwise';
import { backDeltas, columnSums, denseForward, foldBias, sparseForward, sparseWeightGradient, weightGradient } from './linear';
import { update } from './optimizer';
import {
  L_A,
  L_B,
  L_D,
  L_H,
  L_INPUTS,
  L_MASK,
  L_PADDED,
  L_UNITS,
  L_W,
  L_Z,
  layer,
  layerPtr,
  ptr,
  S_ACTIVATION,
  S_BATCH_BYTES,
  S_BATCH_LABELS,
  S_BATCH_PIXELS,
  S_DENSE_X,
  S_ENTRY_ROW,
  S_ENTRY_VALUE,
  S_FOLD,
  S_GRADS,
  S_IMAGES,
  S_LABELS,
  S_LAYERS,
  S_M,
  S_MEAN_SCALE,
  S_NZ_COUNT,
  S_NZ_INDEX,
  S_NZ_VALUE,
  S_OPTIMIZER,
  S_ORDER,
  S_PARAM_COUNT,
  S_PARAMS,
  S_PIXEL_END,
  S_PROBS,
  S_RNG,
  S_SCALE,
  S_SPARSE,
  S_STATS,
  S_V,
  setDescriptor,
  setSlot,
  slot,
} from './slots';

/** Where the batch comes from. */
// FROM_ROWS (0): rows of the images at S_IMAGES (or the given ones) through an order (or in sequence)
const FROM_BYTES = 1; // the host wrote u8 pixels into S_BATCH_BYTES and labels into S_BATCH_LABELS
const FROM_PIXELS = 2; // the host wrote f32 pixels 0..1 into S_BATCH_PIXELS and labels into S_BATCH_LABELS

const PIXELS = 784;

/** End of this module's own static data: the host lays out the run's memory after it. */
export function heapBase(): usize {
  return __heap_base;
}

/** Points the kernel at the run's descriptor (written by the host). */
export function init(descriptor: usize): void {
  setDescriptor(descriptor);
}

/**
 * The inked pixels of each batch row as (index, pixel/σ) lists, and the labels as i32.
 * Bytes are scanned 16 at a time (i8x16 compare and bitmask), pixels 4 at a time.
 */
function assemble(source: i32, images: usize, labels: usize, order: usize, start: i32, rows: i32): void {
  const counts = ptr(S_NZ_COUNT);
  const indices = ptr(S_NZ_INDEX);
  const values = ptr(S_NZ_VALUE);
  const scale = ptr(S_SCALE);
  const batchLabels = ptr(S_BATCH_LABELS);
  const zero = i8x16.splat(0);
  for (let r = 0; r < rows; r++) {
    const ip = indices + <usize>r * PIXELS * 4;
    const vp = values + <usize>r * PIXELS * 4;
    let n = 0;
    if (source == FROM_PIXELS) {
      const px = ptr(S_BATCH_PIXELS) + <usize>r * PIXELS * 4;
      for (let j = 0; j < PIXELS; j += 4) {
        let bits = i32x4.bitmask(f32x4.ne(v128.load(px + ((<usize>j) << 2)), f32x4.splat(0)));
        while (bits) {
          const k = j + ctz(bits);
          const o = (<usize>k) << 2;
          store<i32>(ip + ((<usize>n) << 2), k);
          store<f32>(vp + ((<usize>n) << 2), load<f32>(px + o) * 255 * load<f32>(scale + o));
          n++;
          bits &= bits - 1;
        }
      }
    } else {
      let row: usize;
      if (source == FROM_BYTES) row = ptr(S_BATCH_BYTES) + <usize>r * PIXELS;
      else {
        // FROM_ROWS
        const i = order ? load<i32>(order + ((<usize>(start + r)) << 2)) : start + r;
        row = images + <usize>i * PIXELS;
        store<i32>(batchLabels + ((<usize>r) << 2), labels ? <i32>load<u8>(labels + <usize>i) : 0);
      }
      for (let j = 0; j < PIXELS; j += 16) {
        let bits = i8x16.bitmask(i8x16.ne(v128.load(row + <usize>j), zero));
        while (bits) {
          const k = j + ctz(bits);
          store<i32>(ip + ((<usize>n) << 2), k);
          store<f32>(vp + ((<usize>n) << 2), <f32>load<u8>(row + <usize>k) * load<f32>(scale + ((<usize>k) << 2)));
          n++;
          bits &= bits - 1;
        }
      }
    }
    store<i32>(counts + ((<usize>r) << 2), n);
  }
}

/** Standardised dense rows x = pixel/σ - μ/σ from the inked-pixel lists (the dense first layer). */
function denseRows(rows: i32): void {
  const x = ptr(S_DENSE_X);
  const meanScale = ptr(S_MEAN_SCALE);
  const counts = ptr(S_NZ_COUNT);
  const indices = ptr(S_NZ_INDEX);
  const values = ptr(S_NZ_VALUE);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * PIXELS * 4;
    for (let j = 0; j < PIXELS; j += 4) v128.store(xr + ((<usize>j) << 2), f32x4.neg(v128.load(meanScale + ((<usize>j) << 2))));
    const n = load<i32>(counts + ((<usize>r) << 2));
    const base = <usize>r * PIXELS * 4;
    for (let t = 0; t < n; t++) {
      const o = (<usize>load<i32>(indices + base + ((<usize>t) << 2))) << 2;
      store<f32>(xr + o, load<f32>(values + base + ((<usize>t) << 2)) - load<f32>(meanScale + o));
    }
  }
}

/** The forward pass over `rows` assembled rows: every layer's z, a, h; probabilities and stats from the head. */
function forward(rows: i32, keep: f64, withDeltas: bool): void {
  const layers = slot(S_LAYERS);
  const activation = slot(S_ACTIVATION);
  const params = ptr(S_PARAMS);
  for (let l = 0; l < layers; l++) {
    const padded = layer(l, L_PADDED);
    const w = params + ((<usize>layer(l, L_W)) << 2);
    const b = params + ((<usize>layer(l, L_B)) << 2);
    const z = layerPtr(l, L_Z);
    if (l == 0 && slot(S_SPARSE)) {
      const fold = ptr(S_FOLD);
      foldBias(ptr(S_MEAN_SCALE), w, padded, b, fold);
      sparseForward(rows, ptr(S_NZ_COUNT), ptr(S_NZ_INDEX), ptr(S_NZ_VALUE), w, padded, fold, z);
    } else if (l == 0) {
      denseRows(rows);
      denseForward(ptr(S_DENSE_X), PIXELS, rows, PIXELS, w, padded, b, z);
    } else {
      const prev = l - 1;
      // Dropout's masked activations while training with it; the plain ones otherwise.
      const input = keep < 1 ? layerPtr(prev, L_H) : layerPtr(prev, L_A);
      denseForward(input, layer(prev, L_PADDED), rows, layer(l, L_INPUTS), w, padded, b, z);
    }
    if (l + 1 < layers) {
      const a = layerPtr(l, L_A);
      activate(z, a, rows, layer(l, L_UNITS), padded, activation);
      if (keep < 1) {
        const state = dropout(a, layerPtr(l, L_H), layerPtr(l, L_MASK), rows, layer(l, L_UNITS), padded, keep, <u32>slot(S_RNG));
        setSlot(S_RNG, <i32>state);
      }
    }
  }
  const last = layers - 1;
  const d = withDeltas ? layerPtr(last, L_D) : 0;
  softmaxHead(layerPtr(last, L_Z), rows, layer(last, L_UNITS), layer(last, L_PADDED), ptr(S_BATCH_LABELS), ptr(S_PROBS), d, ptr(S_STATS));
}

/** The backward pass: every layer's gradient (into the grads region) and deltas. */
function backward(rows: i32, keep: f64): void {
  const layers = slot(S_LAYERS);
  const activation = slot(S_ACTIVATION);
  const params = ptr(S_PARAMS);
  const grads = ptr(S_GRADS);
  for (let l = layers - 1; l >= 0; l--) {
    const padded = layer(l, L_PADDED);
    const d = layerPtr(l, L_D);
    const gw = grads + ((<usize>layer(l, L_W)) << 2);
    const gb = grads + ((<usize>layer(l, L_B)) << 2);
    columnSums(d, rows, padded, gb);
    if (l == 0 && slot(S_SPARSE)) {
      const nz = ptr(S_NZ_INDEX);
      sparseWeightGradient(
        rows,
        ptr(S_NZ_COUNT),
        nz,
        ptr(S_NZ_VALUE),
        d,
        padded,
        ptr(S_MEAN_SCALE),
        gb,
        ptr(S_PIXEL_END),
        ptr(S_ENTRY_ROW),
        ptr(S_ENTRY_VALUE),
        gw,
      );
    } else if (l == 0) {
      weightGradient(ptr(S_DENSE_X), PIXELS, rows, PIXELS, d, padded, gw);
    } else {
      const prev = l - 1;
      const prevPadded = layer(prev, L_PADDED);
      weightGradient(layerPtr(prev, keep < 1 ? L_H : L_A), prevPadded, rows, layer(l, L_INPUTS), d, padded, gw);
      const dPrev = layerPtr(prev, L_D);
      backDeltas(d, padded, rows, params + ((<usize>layer(l, L_W)) << 2), layer(l, L_INPUTS), dPrev, prevPadded);
      activationGradient(dPrev, layerPtr(prev, L_A), keep < 1 ? layerPtr(prev, L_MASK) : 0, rows, prevPadded, activation);
    }
  }
}

/**
 * One training step on `rows` rows.
 * @param source FROM_ROWS (images/labels/order: 0 for the run's training set at S_IMAGES, S_LABELS,
 *   S_ORDER), FROM_BYTES or FROM_PIXELS (the host filled the batch buffers).
 * @param lr the step size (Adam: with its bias correction); @param rho RMSprop's or Adam's beta2.
 * @param keep 1 - dropout rate; @param flush whether moments below 1e-30 become 0 this step.
 */
export function train(source: i32, start: i32, rows: i32, lr: f64, rho: f64, keep: f64, flush: bool): void {
  assemble(source, ptr(S_IMAGES), ptr(S_LABELS), ptr(S_ORDER), start, rows);
  forward(rows, keep, true);
  backward(rows, keep);
  update(slot(S_OPTIMIZER), ptr(S_PARAMS), ptr(S_GRADS), ptr(S_M), ptr(S_V), slot(S_PARAM_COUNT), <f32>lr, rho, flush);
}

/**
 * The forward pass alone (no dropout) on `rows` rows: probabilities into S_PROBS, and with labels the
 * loss sum and correct count into S_STATS.
 * @param images for FROM_ROWS: u8 images [* 784] and labels (0: none), rows start .. start + rows in order.
 */
export function infer(source: i32, images: usize, labels: usize, start: i32, rows: i32): void {
  assemble(source, images, labels, 0, start, rows);
  forward(rows, 1, false);
}

/** The optimizer's update alone, from the gradients now in the grads region (tests of the optimizers). */
export function applyGradients(lr: f64, rho: f64, flush: bool): void {
  update(slot(S_OPTIMIZER), ptr(S_PARAMS), ptr(S_GRADS), ptr(S_M), ptr(S_V), slot(S_PARAM_COUNT), <f32>lr, rho, flush);
}
