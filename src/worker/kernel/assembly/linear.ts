// The matrix products of a dense layer, f32x4 over the units (columns). (Past
// 350 lines for a reason: each product is written out with its 8 accumulators
// by hand, since AssemblyScript keeps no array of vectors in registers.)
// Where a sparse step of the recipe went before the by-pixel gradient below
// (medians, same conditions as the skip's figure): 1,091 µs in all, of which the
// forward pass with the softmax head 251 µs, Adam over the 55k weights 159 µs,
// the backward pass the rest (~60%: the sparse gradient and the d·Wᵀ products).
//
// Layout: W is [inputs rows, padded units] row-major (Keras' kernel layout, the
// units padded to a multiple of 4 with zeros), rows of activations and deltas
// are [padded units]. Every loop runs along the units, so each f32x4 load reads
// 4 neighbouring units of one weight row, and 8 such vectors (32 units) are
// kept in locals while the inputs stream past: one weight row is read once per
// batch row (forward) or once per weight row (gradient).

/** Number of f32 accumulators kept in locals by the blocked loops (8 vectors). */
const BLOCK = 32;

/**
 * z[r, :] = bias + x[r, :inputs] · W for `rows` rows. Loop order r, column
 * block, k: the block's 8 accumulators stay in registers over all inputs, W is
 * read row by row (contiguous), x[r, k] is one splat. Inputs that are exactly 0
 * (ReLU's zeros, about half of them) are skipped, here and in weightGradient:
 * measured on the recipe's 784-64-64-10 step (batch 32, sparse first layer, Node
 * 20, 2 cores under a load average of 15, best of 8 rounds of 300 steps) 569 µs
 * a step with the skip, 744 µs without; with the dense first layer 1,192 vs
 * 1,200 µs (its 784-wide product, with no zeros to skip, dominates).
 * @param bias null (0) for none.
 */
export function denseForward(x: usize, xStride: i32, rows: i32, inputs: i32, w: usize, padded: i32, bias: usize, z: usize): void {
  const rowBytes = (<usize>padded) << 2;
  const xBytes = (<usize>xStride) << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * xBytes;
    const zr = z + <usize>r * rowBytes;
    let c = 0;
    for (; c + BLOCK <= padded; c += BLOCK) {
      const co = (<usize>c) << 2;
      let a0 = f32x4.splat(0);
      let a1 = a0,
        a2 = a0,
        a3 = a0,
        a4 = a0,
        a5 = a0,
        a6 = a0,
        a7 = a0;
      if (bias) {
        const bp = bias + co;
        a0 = v128.load(bp, 0);
        a1 = v128.load(bp, 16);
        a2 = v128.load(bp, 32);
        a3 = v128.load(bp, 48);
        a4 = v128.load(bp, 64);
        a5 = v128.load(bp, 80);
        a6 = v128.load(bp, 96);
        a7 = v128.load(bp, 112);
      }
      let wp = w + co;
      for (let k = 0; k < inputs; k++, wp += rowBytes) {
        const xk = load<f32>(xr + ((<usize>k) << 2));
        if (xk == 0) continue;
        const xv = f32x4.splat(xk);
        a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(wp, 0)));
        a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(wp, 16)));
        a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(wp, 32)));
        a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(wp, 48)));
        a4 = f32x4.add(a4, f32x4.mul(xv, v128.load(wp, 64)));
        a5 = f32x4.add(a5, f32x4.mul(xv, v128.load(wp, 80)));
        a6 = f32x4.add(a6, f32x4.mul(xv, v128.load(wp, 96)));
        a7 = f32x4.add(a7, f32x4.mul(xv, v128.load(wp, 112)));
      }
      const zp = zr + co;
      v128.store(zp, a0, 0);
      v128.store(zp, a1, 16);
      v128.store(zp, a2, 32);
      v128.store(zp, a3, 48);
      v128.store(zp, a4, 64);
      v128.store(zp, a5, 80);
      v128.store(zp, a6, 96);
      v128.store(zp, a7, 112);
    }
    for (; c < padded; c += 4) {
      const co = (<usize>c) << 2;
      let a = bias ? v128.load(bias + co) : f32x4.splat(0);
      let wp = w + co;
      for (let k = 0; k < inputs; k++, wp += rowBytes) {
        const xk = load<f32>(xr + ((<usize>k) << 2));
        if (xk == 0) continue;
        a = f32x4.add(a, f32x4.mul(f32x4.splat(xk), v128.load(wp)));
      }
      v128.store(zr + co, a);
    }
  }
}

/**
 * The sparse first layer: z[r, :] = fold + Σ over row r's inked pixels j of (x_j/σ_j) · W[j, :],
 * where fold = b - (μ/σ)·W (made once per call by `foldBias`). Reads ~150 of the 784 weight rows per image.
 */
export function sparseForward(rows: i32, counts: usize, indices: usize, values: usize, w: usize, padded: i32, fold: usize, z: usize): void {
  const rowBytes = (<usize>padded) << 2;
  for (let r = 0; r < rows; r++) {
    const n = load<i32>(counts + ((<usize>r) << 2));
    const base = <usize>r * 784 * 4;
    const ip = indices + base;
    const vp = values + base;
    const zr = z + <usize>r * rowBytes;
    let c = 0;
    for (; c + BLOCK <= padded; c += BLOCK) {
      const co = (<usize>c) << 2;
      const fp = fold + co;
      let a0 = v128.load(fp, 0);
      let a1 = v128.load(fp, 16);
      let a2 = v128.load(fp, 32);
      let a3 = v128.load(fp, 48);
      let a4 = v128.load(fp, 64);
      let a5 = v128.load(fp, 80);
      let a6 = v128.load(fp, 96);
      let a7 = v128.load(fp, 112);
      for (let t = 0; t < n; t++) {
        const to = (<usize>t) << 2;
        const xv = f32x4.splat(load<f32>(vp + to));
        const wp = w + <usize>load<i32>(ip + to) * rowBytes + co;
        a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(wp, 0)));
        a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(wp, 16)));
        a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(wp, 32)));
        a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(wp, 48)));
        a4 = f32x4.add(a4, f32x4.mul(xv, v128.load(wp, 64)));
        a5 = f32x4.add(a5, f32x4.mul(xv, v128.load(wp, 80)));
        a6 = f32x4.add(a6, f32x4.mul(xv, v128.load(wp, 96)));
        a7 = f32x4.add(a7, f32x4.mul(xv, v128.load(wp, 112)));
      }
      const zp = zr + co;
      v128.store(zp, a0, 0);
      v128.store(zp, a1, 16);
      v128.store(zp, a2, 32);
      v128.store(zp, a3, 48);
      v128.store(zp, a4, 64);
      v128.store(zp, a5, 80);
      v128.store(zp, a6, 96);
      v128.store(zp, a7, 112);
    }
    for (; c < padded; c += 4) {
      const co = (<usize>c) << 2;
      let a = v128.load(fold + co);
      for (let t = 0; t < n; t++) {
        const to = (<usize>t) << 2;
        const wp = w + <usize>load<i32>(ip + to) * rowBytes + co;
        a = f32x4.add(a, f32x4.mul(f32x4.splat(load<f32>(vp + to)), v128.load(wp)));
      }
      v128.store(zr + co, a);
    }
  }
}

/** fold = b - (μ/σ)·W over the 784 inputs: the part of the standardised first layer that does not depend on the image. */
export function foldBias(meanScale: usize, w: usize, padded: i32, bias: usize, fold: usize): void {
  denseForward(meanScale, 784, 1, 784, w, padded, 0, fold);
  for (let c = 0; c < padded; c += 4) {
    const o = (<usize>c) << 2;
    v128.store(fold + o, f32x4.sub(v128.load(bias + o), v128.load(fold + o)));
  }
}

/**
 * g[k, :] = Σ_r h[r, k] · d[r, :] for k < inputs (the kernel's gradient, hᵀ·d). Loop order k, column
 * block, r: each gradient row is written once (no zeroing pass); the deltas (rows x padded, a few KB)
 * stay in L1 while the block sweeps them. Zero inputs are skipped as in denseForward.
 */
export function weightGradient(h: usize, hStride: i32, rows: i32, inputs: i32, d: usize, padded: i32, g: usize): void {
  const rowBytes = (<usize>padded) << 2;
  const hBytes = (<usize>hStride) << 2;
  for (let k = 0; k < inputs; k++) {
    const hk = h + ((<usize>k) << 2);
    const gr = g + <usize>k * rowBytes;
    let c = 0;
    for (; c + BLOCK <= padded; c += BLOCK) {
      const co = (<usize>c) << 2;
      let a0 = f32x4.splat(0);
      let a1 = a0,
        a2 = a0,
        a3 = a0,
        a4 = a0,
        a5 = a0,
        a6 = a0,
        a7 = a0;
      let hp = hk;
      let dp = d + co;
      for (let r = 0; r < rows; r++, hp += hBytes, dp += rowBytes) {
        const hv = load<f32>(hp);
        if (hv == 0) continue;
        const xv = f32x4.splat(hv);
        a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(dp, 0)));
        a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(dp, 16)));
        a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(dp, 32)));
        a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(dp, 48)));
        a4 = f32x4.add(a4, f32x4.mul(xv, v128.load(dp, 64)));
        a5 = f32x4.add(a5, f32x4.mul(xv, v128.load(dp, 80)));
        a6 = f32x4.add(a6, f32x4.mul(xv, v128.load(dp, 96)));
        a7 = f32x4.add(a7, f32x4.mul(xv, v128.load(dp, 112)));
      }
      const gp = gr + co;
      v128.store(gp, a0, 0);
      v128.store(gp, a1, 16);
      v128.store(gp, a2, 32);
      v128.store(gp, a3, 48);
      v128.store(gp, a4, 64);
      v128.store(gp, a5, 80);
      v128.store(gp, a6, 96);
      v128.store(gp, a7, 112);
    }
    for (; c < padded; c += 4) {
      const co = (<usize>c) << 2;
      let a = f32x4.splat(0);
      let hp = hk;
      let dp = d + co;
      for (let r = 0; r < rows; r++, hp += hBytes, dp += rowBytes) {
        const hv = load<f32>(hp);
        if (hv == 0) continue;
        a = f32x4.add(a, f32x4.mul(f32x4.splat(hv), v128.load(dp)));
      }
      v128.store(gr + co, a);
    }
  }
}

/**
 * The sparse first layer's gradient, dW = diag(1/σ)(x_rawᵀ·d - μ·colsum d), pixel by pixel:
 * g[j, :] = -(μ_j/σ_j)·colsum d + Σ over the rows that ink pixel j of (x_j/σ_j)·d[r, :].
 * The batch's (row, pixel) entries are first sorted by pixel (a counting sort into `entryRow` and
 * `entryValue`, `pixelEnd[j]` the end of pixel j's run), so each gradient row is summed in locals
 * and written once, reading only the deltas (rows x padded, in L1). The first version accumulated
 * x·d into a 784-row buffer (200 KB, in L2) row by row, then swept all 784 rows to subtract μ/σ·colsum
 * and clear it: a whole recipe step measured 851 -> 575 µs and 571 -> 522 µs by this order (best of
 * 10 rounds of 300 steps, two runs interleaved A/B, Node 20, 2 cores under a load average of 15-18:
 * faster in both, by how much uncertain on so loaded a machine).
 * @param colSum Σ_r d[r, :] (the bias gradient).
 */
export function sparseWeightGradient(
  rows: i32,
  counts: usize,
  indices: usize,
  values: usize,
  d: usize,
  padded: i32,
  meanScale: usize,
  colSum: usize,
  pixelEnd: usize,
  entryRow: usize,
  entryValue: usize,
  g: usize,
): void {
  const rowBytes = (<usize>padded) << 2;
  memory.fill(pixelEnd, 0, 785 * 4);
  // Counting sort of the entries by pixel: counts at j + 1, prefix sums, then each entry placed at
  // its pixel's cursor (which leaves pixelEnd[j] at the end of pixel j's run).
  const shifted = pixelEnd + 4;
  for (let r = 0; r < rows; r++) {
    const n = load<i32>(counts + ((<usize>r) << 2));
    const ip = indices + <usize>r * 784 * 4;
    for (let t = 0; t < n; t++) {
      const q = shifted + ((<usize>load<i32>(ip + ((<usize>t) << 2))) << 2);
      store<i32>(q, load<i32>(q) + 1);
    }
  }
  for (let j = 1; j < 785; j++) {
    const q = pixelEnd + ((<usize>j) << 2);
    store<i32>(q, load<i32>(q) + load<i32>(q - 4));
  }
  for (let r = 0; r < rows; r++) {
    const n = load<i32>(counts + ((<usize>r) << 2));
    const base = <usize>r * 784 * 4;
    for (let t = 0; t < n; t++) {
      const to = (<usize>t) << 2;
      const q = pixelEnd + ((<usize>load<i32>(indices + base + to)) << 2);
      const at = (<usize>load<i32>(q)) << 2;
      store<i32>(q, load<i32>(q) + 1);
      store<i32>(entryRow + at, r);
      store<f32>(entryValue + at, load<f32>(values + base + to));
    }
  }
  let start = 0;
  for (let j = 0; j < 784; j++) {
    const end = load<i32>(pixelEnd + ((<usize>j) << 2));
    const ms = f32x4.neg(f32x4.splat(load<f32>(meanScale + ((<usize>j) << 2))));
    const gr = g + <usize>j * rowBytes;
    let c = 0;
    for (; c + BLOCK <= padded; c += BLOCK) {
      const co = (<usize>c) << 2;
      const cp = colSum + co;
      let a0 = f32x4.mul(ms, v128.load(cp, 0));
      let a1 = f32x4.mul(ms, v128.load(cp, 16));
      let a2 = f32x4.mul(ms, v128.load(cp, 32));
      let a3 = f32x4.mul(ms, v128.load(cp, 48));
      let a4 = f32x4.mul(ms, v128.load(cp, 64));
      let a5 = f32x4.mul(ms, v128.load(cp, 80));
      let a6 = f32x4.mul(ms, v128.load(cp, 96));
      let a7 = f32x4.mul(ms, v128.load(cp, 112));
      for (let e = start; e < end; e++) {
        const eo = (<usize>e) << 2;
        const xv = f32x4.splat(load<f32>(entryValue + eo));
        const dp = d + <usize>load<i32>(entryRow + eo) * rowBytes + co;
        a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(dp, 0)));
        a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(dp, 16)));
        a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(dp, 32)));
        a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(dp, 48)));
        a4 = f32x4.add(a4, f32x4.mul(xv, v128.load(dp, 64)));
        a5 = f32x4.add(a5, f32x4.mul(xv, v128.load(dp, 80)));
        a6 = f32x4.add(a6, f32x4.mul(xv, v128.load(dp, 96)));
        a7 = f32x4.add(a7, f32x4.mul(xv, v128.load(dp, 112)));
      }
      const gp = gr + co;
      v128.store(gp, a0, 0);
      v128.store(gp, a1, 16);
      v128.store(gp, a2, 32);
      v128.store(gp, a3, 48);
      v128.store(gp, a4, 64);
      v128.store(gp, a5, 80);
      v128.store(gp, a6, 96);
      v128.store(gp, a7, 112);
    }
    for (; c < padded; c += 4) {
      const co = (<usize>c) << 2;
      let a = f32x4.mul(ms, v128.load(colSum + co));
      for (let e = start; e < end; e++) {
        const eo = (<usize>e) << 2;
        const dp = d + <usize>load<i32>(entryRow + eo) * rowBytes + co;
        a = f32x4.add(a, f32x4.mul(f32x4.splat(load<f32>(entryValue + eo)), v128.load(dp)));
      }
      v128.store(gr + co, a);
    }
    start = end;
  }
}

/**
 * out[r, k] = Σ_n d[r, n] · W[k, n] for k < inputs (the delta sent back, d·Wᵀ), as dot products along
 * W's contiguous rows; out's padding (k >= inputs) is set to 0.
 */
export function backDeltas(d: usize, padded: i32, rows: i32, w: usize, inputs: i32, out: usize, outStride: i32): void {
  const rowBytes = (<usize>padded) << 2;
  const outBytes = (<usize>outStride) << 2;
  for (let r = 0; r < rows; r++) {
    const dr = d + <usize>r * rowBytes;
    const orow = out + <usize>r * outBytes;
    let k = 0;
    // Four weight rows at a time share each load of the delta row.
    for (; k + 4 <= inputs; k += 4) {
      const w0 = w + <usize>k * rowBytes;
      const w1 = w0 + rowBytes;
      const w2 = w1 + rowBytes;
      const w3 = w2 + rowBytes;
      let s0 = f32x4.splat(0);
      let s1 = s0,
        s2 = s0,
        s3 = s0;
      for (let c = 0; c < padded; c += 4) {
        const co = (<usize>c) << 2;
        const dv = v128.load(dr + co);
        s0 = f32x4.add(s0, f32x4.mul(dv, v128.load(w0 + co)));
        s1 = f32x4.add(s1, f32x4.mul(dv, v128.load(w1 + co)));
        s2 = f32x4.add(s2, f32x4.mul(dv, v128.load(w2 + co)));
        s3 = f32x4.add(s3, f32x4.mul(dv, v128.load(w3 + co)));
      }
      store<f32>(orow + ((<usize>k) << 2), hsum(s0));
      store<f32>(orow + ((<usize>(k + 1)) << 2), hsum(s1));
      store<f32>(orow + ((<usize>(k + 2)) << 2), hsum(s2));
      store<f32>(orow + ((<usize>(k + 3)) << 2), hsum(s3));
    }
    for (; k < inputs; k++) {
      const wk = w + <usize>k * rowBytes;
      let s = f32x4.splat(0);
      for (let c = 0; c < padded; c += 4) {
        const co = (<usize>c) << 2;
        s = f32x4.add(s, f32x4.mul(v128.load(dr + co), v128.load(wk + co)));
      }
      store<f32>(orow + ((<usize>k) << 2), hsum(s));
    }
    for (; k < outStride; k++) store<f32>(orow + ((<usize>k) << 2), 0);
  }
}

/** Σ_r d[r, :] into out [padded]. */
export function columnSums(d: usize, rows: i32, padded: i32, out: usize): void {
  const rowBytes = (<usize>padded) << 2;
  for (let c = 0; c < padded; c += 4) {
    const co = (<usize>c) << 2;
    let s = f32x4.splat(0);
    let dp = d + co;
    for (let r = 0; r < rows; r++, dp += rowBytes) s = f32x4.add(s, v128.load(dp));
    v128.store(out + co, s);
  }
}

function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}
