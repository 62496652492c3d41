/**
 * The shape of a handler: a plain function of the worker's session and one
 * request, resolving with the reply's value (or throwing an EngineError, which
 * becomes the error reply). Each file here holds the handlers of one concern.
 */
import type { ReplyValue, RequestOf, RequestType } from '../../shared/protocol';
import type { WorkerSession } from '../session';

export type HandlersFor<K extends RequestType> = {
  readonly [P in K]: (s: WorkerSession, req: RequestOf<P>) => Promise<ReplyValue<P>>;
};
