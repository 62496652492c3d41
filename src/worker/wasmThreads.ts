/// <reference lib="webworker" />
/**
 * The two workarounds the threaded WASM build of TF.js 4.22 needs to start its
 * threads in our bundle, each undone once the backend has started.
 */
// The Emscripten glue of the threaded build, unminified (see threadSafeGlue).
import threadedGlueUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';

const GLUE_PREFIX = 'var WasmBackendModuleThreadedSimd = ';

/**
 * Why: tfjs starts each WASM thread from `factory.toString()` of the bundled
 * Emscripten glue. Our minifier rewrote `typeof _scriptDir !== "undefined"`
 * inside it to `e !== void 0` (it knows the closure declares it), which throws
 * "e is not defined" in the thread, where that closure is missing. So while
 * the backend starts, the Blob holding that text gets the original,
 * unminified glue instead (served from our own server). Returns a restore function.
 */
export async function threadSafeGlue(): Promise<() => void> {
  const res = await fetch(threadedGlueUrl);
  if (!res.ok) throw new Error(`could not fetch the WASM thread glue: HTTP ${res.status}`);
  const original = await res.text();
  const NativeBlob = self.Blob;
  class GlueBlob extends NativeBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      const first = parts?.[0];
      super(parts?.length === 1 && typeof first === 'string' && first.startsWith(GLUE_PREFIX) ? [original] : parts, options);
    }
  }
  self.Blob = GlueBlob;
  return () => {
    self.Blob = NativeBlob;
  };
}

/**
 * Why: the 4.22 threaded build caps XNNPACK's pool at
 * navigator.hardwareConcurrency / 2 (its C++ assumes two hyper-threads per
 * core: `min(requested, 8, cores / 2)`), read once when the module starts; on a
 * 2-core machine that is 1 thread whatever setThreadsCount asks (the symptom
 * of tfjs #6081 and #8513). So while the module starts, the worker's navigator
 * reports twice the threads wanted; the 8 pre-spawned pthread workers are
 * there to take them. Returns a restore function.
 */
export function reportCoresFor(threads: number): () => void {
  const real = Object.getOwnPropertyDescriptor(navigator, 'hardwareConcurrency');
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: threads * 2, configurable: true });
  return () => {
    if (real) Object.defineProperty(navigator, 'hardwareConcurrency', real);
    else delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  };
}
