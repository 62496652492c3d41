/// <reference lib="webworker" />
/** Liveness (ping) and the fault test hooks the e2e tests reach through `?debug=1`. */
import { simulateContextLoss } from '../backend';
import type { HandlersFor } from './types';

declare const self: DedicatedWorkerGlobalScope;

export const healthHandlers: HandlersFor<'ping' | 'simulateContextLoss' | 'simulateCrash' | 'simulateSilentExit'> = {
  async ping(s) {
    return { time: performance.now(), phase: s.phase(), kept: s.backend.lastGood.current?.when ?? null };
  },

  async simulateContextLoss(s) {
    const lost = simulateContextLoss();
    // We know we lost it: report now rather than wait for the event.
    if (lost) s.backend.onContextLost();
    return lost;
  },

  async simulateCrash() {
    // Thrown outside any promise, as a real bug would be: the worker's error event fires.
    setTimeout(() => {
      throw new Error('simulated crash (test hook)');
    });
  },

  async simulateSilentExit() {
    // As if the browser ended the worker: no error event, no reply, nothing more from it.
    self.close();
  },
};
