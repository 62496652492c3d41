/**
 * In the worker: the kernel comes from the built asset (Vite gives its hashed
 * URL; the service worker precaches it like the other WASM files). A separate
 * file, 9 KB, rather than inlined: fetched only when WASM trains, cached by the
 * browser and the service worker, and no base64 inflating the worker's script.
 */
import kernelUrl from './kernel.wasm?url';
import { setKernelLoader } from './kernelModule';

setKernelLoader(async () => {
  const res = await fetch(kernelUrl);
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${kernelUrl}`);
  return new Uint8Array(await res.arrayBuffer());
});
