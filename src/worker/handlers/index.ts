/**
 * Every handler, one per request type (the compiler checks that none is
 * missing), bound to the worker's session for the scheduler.
 */
import type { RequestType, WorkerRequest } from '../../shared/protocol';
import type { Handlers } from '../scheduler';
import type { WorkerSession } from '../session';
import { dataHandlers } from './data';
import { healthHandlers } from './health';
import { insightHandlers } from './insight';
import { modelLibraryHandlers } from './modelLibrary';
import { resultHandlers } from './results';
import { runControlHandlers } from './runControl';
import { stepHandlers } from './step';
import type { HandlersFor } from './types';

export const HANDLERS: HandlersFor<RequestType> = {
  ...dataHandlers,
  ...runControlHandlers,
  ...resultHandlers,
  ...insightHandlers,
  ...modelLibraryHandlers,
  ...healthHandlers,
  ...stepHandlers,
};

/** The handlers as the scheduler calls them: each given the session. */
export function bindHandlers(session: WorkerSession, handlers: HandlersFor<RequestType> = HANDLERS): Handlers {
  const bound: Record<string, (req: WorkerRequest) => Promise<unknown>> = {};
  for (const [type, handler] of Object.entries(handlers) as [RequestType, (s: WorkerSession, req: WorkerRequest) => Promise<unknown>][])
    bound[type] = (req) => handler(session, req);
  return bound as unknown as Handlers;
}
