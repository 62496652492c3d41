/**
 * Whether the step view is open: a tiny store, so the entry in the training controls and the one
 * by the pad open the same view without threading props through the page.
 */
import { useSyncExternalStore } from 'react';

let open = false;
const listeners = new Set<() => void>();

function set(value: boolean): void {
  if (open === value) return;
  open = value;
  listeners.forEach((l) => l());
}

export const openStepView = (): void => set(true);
export const closeStepView = (): void => set(false);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True while the step view is open. */
export function useStepViewOpen(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => open,
    () => false,
  );
}
