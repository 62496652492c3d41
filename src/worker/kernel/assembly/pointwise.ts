// Element-wise parts of the step: activations and their derivatives, dropout
// masks, and the softmax cross-entropy head. ReLU runs 4 lanes at a time; tanh,
// sigmoid and ELU call Mathf's exp per element (f32, libm-accurate).

export const RELU = 0;
export const TANH = 1;
export const SIGMOID = 2;
export const ELU = 3;

/**
 * a[r, :units] = f(z[r, :units]) for `rows` rows of stride `padded`; the padding is set to 0 (a
 * sigmoid of the zero padding would be 0.5). `a` may be `z` (in place).
 */
export function activate(z: usize, a: usize, rows: i32, units: i32, padded: i32, activation: i32): void {
  const rowBytes = (<usize>padded) << 2;
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * rowBytes;
    const ar = a + <usize>r * rowBytes;
    if (activation == RELU) {
      for (let c = 0; c < padded; c += 4) {
        const o = (<usize>c) << 2;
        v128.store(ar + o, f32x4.max(v128.load(zr + o), zero));
      }
    } else {
      for (let c = 0; c < units; c++) {
        const o = (<usize>c) << 2;
        const x = load<f32>(zr + o);
        let y: f32;
        if (activation == TANH) y = Mathf.tanh(x);
        else if (activation == SIGMOID) y = <f32>1 / (<f32>1 + Mathf.exp(-x));
        else y = x > 0 ? x : Mathf.exp(x) - 1;
        store<f32>(ar + o, y);
      }
    }
    for (let c = units; c < padded; c++) store<f32>(ar + ((<usize>c) << 2), 0);
  }
}

/**
 * d[r, :] *= mask[r, :] (when mask) · f'(z), with f' from the unmasked activation a = f(z):
 * relu a > 0; tanh 1 - a²; sigmoid a(1 - a); elu a > 0 ? 1 : a + 1 (= e^z).
 */
export function activationGradient(d: usize, a: usize, mask: usize, rows: i32, padded: i32, activation: i32): void {
  const n = rows * padded;
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    let dv = v128.load(d + o);
    if (mask) dv = f32x4.mul(dv, v128.load(mask + o));
    const av = v128.load(a + o);
    if (activation == RELU) dv = v128.and(dv, f32x4.gt(av, zero));
    else if (activation == TANH) dv = f32x4.mul(dv, f32x4.sub(one, f32x4.mul(av, av)));
    else if (activation == SIGMOID) dv = f32x4.mul(dv, f32x4.mul(av, f32x4.sub(one, av)));
    else dv = f32x4.mul(dv, v128.bitselect(one, f32x4.add(av, one), f32x4.gt(av, zero)));
    v128.store(d + o, dv);
  }
}

/**
 * Inverted dropout: mask[r, k] = u < keep ? 1/keep : 0 with u from mulberry32 (the same stream
 * as split.ts' mulberry32, drawn row by row over the true units), and h = a · mask.
 * @returns the advanced generator state.
 */
export function dropout(a: usize, h: usize, mask: usize, rows: i32, units: i32, padded: i32, keep: f64, state: u32): u32 {
  const scale: f32 = <f32>(1 / keep);
  const rowBytes = (<usize>padded) << 2;
  let s = state;
  for (let r = 0; r < rows; r++) {
    const mr = mask + <usize>r * rowBytes;
    for (let c = 0; c < units; c++) {
      s += 0x6d2b79f5;
      let t = s;
      t = (t ^ (t >> 15)) * (t | 1);
      t ^= t + (t ^ (t >> 7)) * (t | 61);
      const u = <f64>(t ^ (t >> 14)) / 4294967296.0;
      store<f32>(mr + ((<usize>c) << 2), u < keep ? scale : 0);
    }
    for (let c = units; c < padded; c++) store<f32>(mr + ((<usize>c) << 2), 0);
  }
  const n = rows * padded;
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(h + o, f32x4.mul(v128.load(a + o), v128.load(mask + o)));
  }
  return s;
}

/**
 * Softmax cross-entropy of `rows` rows of logits z [rows, padded] (classes true columns) against
 * labels (i32): probabilities into p, the loss sum and correct count into stats (f64 [2]), and when
 * `d` is set, d(mean loss)/dz = (p - onehot) / rows into d (padding 0). Float32 in the order
 * logSoftmax, exp, minus the one-hot, times 1/rows, as the tf.js path computes it.
 */
export function softmaxHead(z: usize, rows: i32, classes: i32, padded: i32, labels: usize, p: usize, d: usize, stats: usize): void {
  const rowBytes = (<usize>padded) << 2;
  const inv: f32 = <f32>1 / <f32>rows;
  let lossSum: f64 = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * rowBytes;
    const pr = p + <usize>r * rowBytes;
    let max = load<f32>(zr);
    let arg = 0;
    for (let c = 1; c < classes; c++) {
      const v = load<f32>(zr + ((<usize>c) << 2));
      if (v > max) {
        max = v;
        arg = c;
      }
    }
    let sum: f32 = 0;
    for (let c = 0; c < classes; c++) sum += Mathf.exp(load<f32>(zr + ((<usize>c) << 2)) - max);
    const lse = Mathf.log(sum);
    const label = load<i32>(labels + ((<usize>r) << 2));
    lossSum -= <f64>(load<f32>(zr + ((<usize>label) << 2)) - max - lse);
    if (arg == label) correct++;
    for (let c = 0; c < classes; c++) {
      const prob = Mathf.exp(load<f32>(zr + ((<usize>c) << 2)) - max - lse);
      store<f32>(pr + ((<usize>c) << 2), prob);
      if (d) store<f32>(d + <usize>r * rowBytes + ((<usize>c) << 2), (prob - (c == label ? <f32>1 : <f32>0)) * inv);
    }
    for (let c = classes; c < padded; c++) {
      store<f32>(pr + ((<usize>c) << 2), 0);
      if (d) store<f32>(d + <usize>r * rowBytes + ((<usize>c) << 2), 0);
    }
  }
  store<f64>(stats, lossSum);
  store<f64>(stats + 8, <f64>correct);
}
