/// <reference lib="webworker" />
/**
 * The training thread's entry: wires the session (engine, data, backend), the
 * handlers and the scheduler, and lets every message in through the door
 * (door.ts checks it). Which command runs when: shared/commands.ts; in what
 * order, answered once: scheduler.ts; what each does: handlers/.
 */
import type { WorkerMessage } from '../shared/protocol';
import { openDoor } from './door';
import { toReplyError } from './errors';
import { bindHandlers } from './handlers';
import { Scheduler } from './scheduler';
import { WorkerSession } from './session';

declare const self: DedicatedWorkerGlobalScope;

function postMessage(msg: WorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

const session = new WorkerSession(postMessage);
const { engine } = session;
const scheduler = new Scheduler(bindHandlers(session), postMessage, {
  isPaused: () => engine.isPaused,
  hasData: () => session.hasData,
  hasModel: () => engine.hasModel,
  // Reset supersedes a run: it ends now (without evaluating), then Reset takes its turn.
  cancelRunning: () => engine.cancel(),
});
session.phase = () => scheduler.phase();
engine.onPauseChange = () => scheduler.postPhase();
session.backend.hooks = {
  runningSettled: () => scheduler.runningSettled(),
  abandonRunning: (error) => scheduler.abandonRunning(toReplyError(error)),
  // Inside the backend's own recovery: not behind it.
  loadBundled: () => session.loadBundledNow(),
};

const receive = openDoor((req) => scheduler.submit(req), postMessage);
self.onmessage = (ev: MessageEvent<unknown>) => receive(ev.data);
self.onmessageerror = () =>
  postMessage({ type: 'fault', code: 'invalid', key: 'invalidRequest', message: 'The worker got a message it could not read.' });
