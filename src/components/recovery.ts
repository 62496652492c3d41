/**
 * Ways forward after a failure, as pure functions (tested without React).
 */
import type { BackendChoice } from '../shared/trainConfig';

/**
 * Backends worth offering after `failed` failed: never the one that just failed.
 * WASM is the sturdy choice; after WASM itself fails, the plain JavaScript backend.
 */
export function alternativeBackends(failed: BackendChoice | undefined): BackendChoice[] {
  if (failed === 'wasm') return ['cpu'];
  if (failed === 'cpu') return ['wasm'];
  if (failed === 'auto') return ['cpu'];
  return ['wasm'];
}
