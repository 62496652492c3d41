/**
 * Direct access to tensor memory on the CPU backends. On `cpu` a tensor's data
 * is a JS typed array; on `wasm` it lives in the module's heap. Either way JS
 * can read (and, for a buffer only one tensor holds, write) it in place, with
 * no kernel launch and no copy: this is how the training step runs its small
 * element-wise parts (softmax head, activation gradients, bias sums, the
 * optimizer) as plain loops instead of dozens of tiny kernels.
 *
 * TF.js internals used (checked by tfInternals.test.ts): the cpu backend's
 * `data.get(dataId).values`, the WASM backend's `typedArrayFromHeap(tensor)`
 * and `makeOutput(shape, dtype)`, and `refCount(dataId)` on both.
 */
import * as tf from '@tensorflow/tfjs';

interface CpuBackend {
  data: { get(dataId: object): { values?: ArrayLike<number> } };
  refCount(dataId: object): number;
}
interface WasmBackend {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  refCount(dataId: object): number;
}

/**
 * True when the training step runs its element-wise parts as JS loops on the tensors' memory: the
 * cpu backend only. On WASM it was measured no faster, and writing into the module's heap proved
 * unsafe (in Node training collapsed to chance, and in the browser later gradient work on the same
 * heap, the dreams, went wrong), so WASM keeps the tf-ops path.
 */
export function hostMemoryBackend(): boolean {
  return tf.getBackend() === 'cpu';
}

/** The tensor's own storage (no copy). Read-only unless obtained through `ownedStore`. */
export function hostView(t: tf.Tensor): Float32Array {
  const name = tf.getBackend();
  if (name === 'wasm') return (tf.backend() as unknown as WasmBackend).typedArrayFromHeap(t) as Float32Array;
  if (name === 'cpu') return (tf.backend() as unknown as CpuBackend).data.get(t.dataId).values as Float32Array;
  throw new Error(`hostView: the ${name} backend keeps tensors off the host`);
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
 * clone on cpu, a snapshot it was restored from) the variable gets a private
 * copy. Why even the first time: on cpu a tensor made from a typed array keeps
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

/** Where a weight update reads the old values and writes the new ones; `commit` makes the new ones the variable's. */
export interface UpdateTarget {
  src: Float32Array;
  dst: Float32Array;
  commit(): void;
}

/**
 * The buffers for updating `v`. On cpu the update is in place. On WASM it goes
 * to a fresh heap buffer that replaces the variable's: the WASM matMul caches
 * XNNPACK operators holding a packed copy of the weights, keyed by the weight
 * tensor's id and dropped when that tensor is disposed, so weights changed in
 * place would be multiplied as their stale packed copy.
 */
export function updateTarget(v: tf.Variable): UpdateTarget {
  if (tf.getBackend() !== 'wasm') {
    const store = ownedStore(v);
    return { src: store, dst: store, commit: () => {} };
  }
  const backend = tf.backend() as unknown as WasmBackend;
  // Allocate first: a heap that grows detaches views made before (non-shared memory).
  const next = tf.engine().makeTensorFromTensorInfo(backend.makeOutput([...v.shape], 'float32'));
  return {
    src: hostView(v),
    dst: hostView(next),
    commit: () => {
      v.assign(next);
      next.dispose();
    },
  };
}
