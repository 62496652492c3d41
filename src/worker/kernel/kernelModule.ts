/**
 * Where the compiled kernel comes from, and whether this browser can run it.
 * The worker registers a loader for the built asset (browserKernel.ts, a Vite
 * asset URL); Node tests and scripts register one that reads the file
 * (scripts/kernelNode.ts). Compiled once, instantiated once per run.
 */

/** Returns the kernel's bytes (or a compiled module). */
export type KernelLoader = () => Promise<BufferSource | WebAssembly.Module>;

let loader: KernelLoader | null = null;
let compiled: Promise<WebAssembly.Module> | null = null;

/** Sets where the kernel is loaded from (and forgets a module compiled from another place). */
export function setKernelLoader(load: KernelLoader): void {
  loader = load;
  compiled = null;
}

/** True once a loader is registered (the worker, Node tests that asked for the kernel). */
export function hasKernelLoader(): boolean {
  return loader !== null;
}

/**
 * The compiled kernel (compiled on first use).
 * @throws Error when no loader is registered, or the bytes cannot be fetched or compiled.
 */
export function kernelModule(): Promise<WebAssembly.Module> {
  if (!loader) return Promise.reject(new Error('no kernel loader registered'));
  if (!compiled) {
    const load = loader;
    compiled = (async () => {
      const src = await load();
      return src instanceof WebAssembly.Module ? src : WebAssembly.compile(src);
    })();
    compiled.catch(() => (compiled = null));
  }
  return compiled;
}

/**
 * The smallest module with a SIMD instruction (i32.const 0; i8x16.splat; i8x16.popcnt, as
 * wasm-feature-detect tests it): validates only where WebAssembly SIMD is supported.
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

let simd: boolean | null = null;

/** True where WebAssembly with SIMD runs (all current browsers; not Safari before 16.4). */
export function simdSupported(): boolean {
  if (simd === null) {
    try {
      simd = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
    } catch {
      simd = false;
    }
  }
  return simd;
}
