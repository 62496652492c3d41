/**
 * Which code trains, by the active tf.js backend (backend=... in the URL):
 * - `wasm`: the WASM SIMD training kernel (kernel/), sparse first layer; tf.js's
 *   WASM backend keeps predictions, "see it think", dreams and export on the same
 *   weights (committed from the kernel whenever they are read). Without
 *   WebAssembly SIMD it is tf.js's WASM backend that trains, and the note says so.
 * - `cpu`: tf.js's plain JavaScript backend (the fallback for a browser without WebAssembly).
 * - `webgl`, `webgpu`: tf.js on the GPU.
 */
import { simdSupported } from './kernel/kernelModule';
import type { TrainPath } from './stepper';

/** How the engine may use the kernel: 'auto' (sparse where it can), a first layer forced (bench, tests), or 'off' (tf.js always). */
export type KernelMode = 'auto' | 'sparse' | 'dense' | 'off';

/** The path a run on `backend` takes. */
export function trainPathFor(backend: string, mode: KernelMode = 'auto'): TrainPath {
  if (backend !== 'wasm' || mode === 'off' || !simdSupported()) return 'tfjs';
  return mode === 'dense' ? 'kernel-dense' : 'kernel-sparse';
}

/** One sentence on what trains on `backend`, for the backend's details line (null where tf.js simply trains). */
export function trainPathNote(backend: string): string | null {
  if (backend !== 'wasm') return null;
  return simdSupported()
    ? 'Trains with the WASM SIMD kernel, sparse first layer (predictions on TF.js WebAssembly).'
    : 'This browser has no WebAssembly SIMD: TF.js trains on its WebAssembly backend instead of the faster SIMD kernel.';
}
