/**
 * The training kernel in Node (tests, scripts): builds src/worker/kernel/kernel.wasm when it is
 * missing or stale (scripts/buildKernel.mjs) and registers a loader that reads it from disk, where
 * the worker fetches the built asset instead.
 */
import { readFile } from 'node:fs/promises';
import { ensureKernel, KERNEL_WASM } from './buildKernel.mjs';
import { kernelModule, setKernelLoader } from '../src/worker/kernel/kernelModule';

/** Builds the kernel if needed, registers the disk loader, and returns the compiled module. */
export async function useNodeKernel(): Promise<WebAssembly.Module> {
  await ensureKernel();
  setKernelLoader(async () => new Uint8Array(await readFile(KERNEL_WASM)));
  return kernelModule();
}
