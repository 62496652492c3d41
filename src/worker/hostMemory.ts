/**
 * Direct access to tensor memory on tf.js's `cpu` backend, where a tensor's
 * data is a JS typed array: JS reads (and, for a buffer only one tensor holds,
 * writes) it in place, with no kernel launch and no copy. This is how the cpu
 * backend's training step runs its small element-wise parts (softmax head,
 * activation gradients, bias sums, the optimizer) as plain loops instead of
 * dozens of tiny kernels. (The WASM backend no longer trains through tf.js
 * when WebAssembly SIMD is there: the training kernel, kernel/, has memory of
 * its own.)
 *
 * TF.js internals used (checked by tfInternals.test.ts): the cpu backend's
 * `data.get(dataId).values` and `refCount(dataId)`.
 */
import * as tf from '@tensorflow/tfjs';

interface CpuBackend {
  data: { get(dataId: object): { values?: ArrayLike<number> } };
  refCount(dataId: object): number;
}

/** True when the training step runs its element-wise parts as JS loops on the tensors' memory: the cpu backend. */
export function hostMemoryBackend(): boolean {
  return tf.getBackend() === 'cpu';
}

/** The tensor's own storage on the cpu backend (no copy). Read-only unless obtained through `ownedStore`. */
export function hostView(t: tf.Tensor): Float32Array {
  const name = tf.getBackend();
  if (name !== 'cpu') throw new Error(`hostView: the ${name} backend keeps tensors off the JS heap`);
  return (tf.backend() as unknown as CpuBackend).data.get(t.dataId).values as Float32Array;
}

/** Int32 (labels) storage of an int32 tensor, no copy. */
export function hostViewInt(t: tf.Tensor): Int32Array {
  return hostView(t) as unknown as Int32Array;
}

/** The buffer each variable owns outright (dataId), once `ownedStore` made sure of it. */
const owned = new WeakMap<tf.Variable, object>();

/**
 * The variable's storage, safe to write in place. The first time (and whenever
 * the variable was assigned another buffer, or another tensor shares it: a
 * clone, a snapshot it was restored from) the variable gets a private copy.
 * Why even the first time: on cpu a tensor made from a typed array keeps
 * that very array, which its maker may still hold.
 */
export function ownedStore(v: tf.Variable): Float32Array {
  const backend = tf.backend() as unknown as CpuBackend;
  if (owned.get(v) !== v.dataId || backend.refCount(v.dataId) > 1) {
    const copy = tf.tensor(hostView(v).slice(), v.shape, 'float32');
    v.assign(copy);
    copy.dispose();
    owned.set(v, v.dataId);
  }
  return hostView(v);
}
