// The run's descriptor: an i32 table the host (kernel/layout.ts) writes once per
// run at the address given to `init`. The numbers must match SLOT and LAYER in
// layout.ts (a unit test compares them).

/** Layers (dense layers: hidden ones plus the output). */
export const S_LAYERS = 0;
/** 0 relu, 1 tanh, 2 sigmoid, 3 elu. */
export const S_ACTIVATION = 1;
/** 0 sgd, 1 adam, 2 rmsprop. */
export const S_OPTIMIZER = 2;
/** 1: the first layer reads only the inked pixels (standardisation folded in); 0: dense standardised rows. */
export const S_SPARSE = 3;
/** Rows the batch buffers hold. */
export const S_BATCH_CAP = 4;
/** Dropout's mulberry32 state (u32), advanced by every mask drawn. */
export const S_RNG = 5;
/** Floats in each of params, grads, m, v (padded layout, a multiple of 4). */
export const S_PARAM_COUNT = 6;
/** u8 [rows * 784] training images, u8 [rows] labels, i32 [rows] this epoch's order. */
export const S_IMAGES = 8;
export const S_LABELS = 9;
export const S_ORDER = 10;
/** f32 [784]: the normaliser's mean (0..255 scale), 1/std, and mean/std. */
export const S_MEAN = 12;
export const S_SCALE = 13;
export const S_MEAN_SCALE = 14;
/** f32 [units of layer 0]: the first layer's bias minus (mean/std)·W (sparse path), made per call. */
export const S_FOLD = 15;
/** The batch as the host fills it: u8 [cap * 784] bytes, i32 [cap] labels, f32 [cap * 784] pixels 0..1. */
export const S_BATCH_BYTES = 16;
export const S_BATCH_LABELS = 17;
export const S_BATCH_PIXELS = 18;
/** The batch's inked pixels per row: i32 [cap] counts, i32 [cap * 784] indices, f32 [cap * 784] pixel/std. */
export const S_NZ_COUNT = 19;
export const S_NZ_INDEX = 20;
export const S_NZ_VALUE = 21;
/** f32 [cap * 784] standardised rows (dense path only). */
export const S_DENSE_X = 22;
/** f64 [2]: the last call's loss sum and correct count. */
export const S_STATS = 23;
/** f32 [cap * padded 10]: the last call's probabilities. */
export const S_PROBS = 24;
/** f32 [S_PARAM_COUNT] each: weights, gradients, first and second moments. */
export const S_PARAMS = 25;
export const S_GRADS = 26;
export const S_M = 27;
export const S_V = 28;
/** The sparse first layer's gradient: i32 [785] the end of each pixel's run of entries, i32 and f32 [cap * 784] the entries' rows and pixel/σ. */
export const S_PIXEL_END = 29;
export const S_ENTRY_ROW = 30;
export const S_ENTRY_VALUE = 31;

/** Per layer: LAYER_BASE + LAYER_STRIDE * l + one of the L_ fields. */
export const LAYER_BASE = 32;
export const LAYER_STRIDE = 16;
/** True inputs and units. */
export const L_INPUTS = 0;
export const L_UNITS = 1;
/** Padded units (a multiple of 4): the row stride of W, b, Z, A, H, D. W has the previous layer's padded units as rows. */
export const L_PADDED = 2;
/** Float offsets of W [inputs rows, padded] and b [padded] in the params/grads/m/v regions. */
export const L_W = 3;
export const L_B = 4;
/** f32 [cap * padded] each: sums z, activations a = f(z) (may be z's buffer), masked activations h (a's without dropout), dropout mask, deltas dL/dz. */
export const L_Z = 5;
export const L_A = 6;
export const L_H = 7;
export const L_MASK = 8;
export const L_D = 9;

let desc: usize = 0;

export function setDescriptor(at: usize): void {
  desc = at;
}

export function slot(i: i32): i32 {
  return load<i32>(desc + ((<usize>i) << 2));
}

export function setSlot(i: i32, v: i32): void {
  store<i32>(desc + ((<usize>i) << 2), v);
}

export function ptr(i: i32): usize {
  return <usize>load<i32>(desc + ((<usize>i) << 2));
}

export function layer(l: i32, field: i32): i32 {
  return load<i32>(desc + ((<usize>(LAYER_BASE + LAYER_STRIDE * l + field)) << 2));
}

export function layerPtr(l: i32, field: i32): usize {
  return <usize>load<i32>(desc + ((<usize>(LAYER_BASE + LAYER_STRIDE * l + field)) << 2));
}
