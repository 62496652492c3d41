/**
 * The one table of backend display names, as the page shows them ("Trains on WASM"),
 * the worker words its messages and the e2e tests read them.
 */
import type { BackendName } from './protocol';

export const BACKEND_NAMES: Readonly<Record<BackendName, string>> = {
  webgl: 'WebGL',
  webgpu: 'WebGPU',
  wasm: 'WASM',
  cpu: 'CPU',
};

/** The display name of a backend ("WebGL"); an unknown name is shown as it is. */
export function backendName(name: string): string {
  return (BACKEND_NAMES as Record<string, string>)[name] ?? name;
}
