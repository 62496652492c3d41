/// <reference types="vite/client" />
/**
 * The training worker's script, and how the page starts it. Its URL is known
 * here (Vite's `?worker&url`), so a worker that fails to start can be told
 * apart from a network that is down: the client fetches the same URL.
 */
import trainerWorkerUrl from '../worker/trainer.worker.ts?worker&url';

/** The built worker script's URL. */
export const TRAINER_WORKER_URL: string = trainerWorkerUrl;

/** Starts a training worker. */
export function createTrainerWorker(): Worker {
  return new Worker(TRAINER_WORKER_URL, { type: 'module', name: 'trainer' });
}

/**
 * Whether the worker's script can be fetched now: false when the browser is offline or the
 * request fails (a network problem), true when it arrives (so a failed start was a crash).
 */
export async function workerScriptReachable(): Promise<boolean> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return false;
  try {
    const res = await fetch(TRAINER_WORKER_URL, { cache: 'no-store' });
    return res.ok;
  } catch {
    return false;
  }
}
