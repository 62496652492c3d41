// The optimizers over the flat padded parameter region, 4 weights a time, with
// the formulas and defaults of src/worker/optimizer.ts (Keras: Adam beta1 0.9,
// beta2 0.999, epsilon 1e-7 outside the square root; RMSprop rho 0.9). The
// step size arrives with Adam's bias correction folded in (computed by the host
// in double precision, as optimizer.ts does). The zero padding stays zero: its
// gradients are zero, so are its moments and updates.

export const SGD = 0;
export const ADAM = 1;
export const RMSPROP = 2;

/** Moments below this become 0 on flush steps (FLUSH_BELOW in optimizer.ts). */
const TINY: f32 = 1e-30;

/**
 * One update of n weights p with gradients g; m, v the moments (Adam: both, RMSprop: v).
 * @param flush every 100th step: moments below TINY become 0 (Adam after the update, RMSprop before it,
 *   as optimizer.ts), so that moments of weights that never get a gradient cannot decay into the
 *   subnormal range, where x86 arithmetic is slow (WebAssembly has no flush-to-zero mode).
 */
export function update(kind: i32, p: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, rho: f64, flush: bool): void {
  const lrv = f32x4.splat(lr);
  const zero = f32x4.splat(0);
  const tiny = f32x4.splat(TINY);
  const eps = f32x4.splat(1e-7);
  if (kind == SGD) {
    for (let i = 0; i < n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(lrv, v128.load(g + o))));
    }
    return;
  }
  // 1 - rho in double, then rounded (1 - 0.999f would be 1.3e-5 off).
  const b2 = f32x4.splat(<f32>rho);
  const c2 = f32x4.splat(<f32>(1 - rho));
  if (kind == RMSPROP) {
    for (let i = 0; i < n; i += 4) {
      const o = (<usize>i) << 2;
      const gv = v128.load(g + o);
      let vv = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(gv, gv)));
      if (flush) vv = v128.bitselect(zero, vv, f32x4.lt(f32x4.abs(vv), tiny));
      v128.store(v + o, vv);
      v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(lrv, gv), f32x4.add(f32x4.sqrt(vv), eps))));
    }
    return;
  }
  const b1 = f32x4.splat(0.9);
  const c1 = f32x4.splat(0.1);
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    const gv = v128.load(g + o);
    let mv = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, gv));
    let vv = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(gv, gv)));
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(lrv, mv), f32x4.add(f32x4.sqrt(vv), eps))));
    if (flush) {
      mv = v128.bitselect(zero, mv, f32x4.lt(f32x4.abs(mv), tiny));
      vv = v128.bitselect(zero, vv, f32x4.lt(f32x4.abs(vv), tiny));
    }
    v128.store(m + o, mv);
    v128.store(v + o, vv);
  }
}
