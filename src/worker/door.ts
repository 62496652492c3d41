/**
 * The worker's door: every message it receives is checked against the protocol
 * (the command table's parameter checks, shared/commands.ts) before anything acts
 * on it. A request that cannot be read gets a clear 'invalid' reply; a message
 * without a usable id, which nobody can be answered for, becomes a `fault` event.
 * Nothing that comes in can crash the worker.
 */
import { isRequestType, paramsProblem } from '../shared/commands';
import type { ReplyError, WorkerMessage, WorkerRequest } from '../shared/protocol';
import { describeValue } from '../shared/validate';

/** What the door makes of one message. */
export type Admission =
  | { ok: true; req: WorkerRequest }
  /** `id` null: the message carried no usable id, so no reply can be matched to it. */
  | { ok: false; id: number | null; error: ReplyError };

/** A request id the client could be waiting for: a non-negative safe integer. */
function usableId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0;
}

/** Checks one received message: a known request type, a usable id and parameters within their bounds. */
export function admit(msg: unknown): Admission {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    return { ok: false, id: null, error: invalid(null, `a request must be an object with a type and an id (got ${describeValue(msg)})`) };
  }
  const { type, id } = msg as { type?: unknown; id?: unknown };
  const replyId = usableId(id) ? id : null;
  if (!isRequestType(type)) {
    const what = typeof type === 'string' ? `"${type.slice(0, 60)}"` : describeValue(type);
    return { ok: false, id: replyId, error: { code: 'invalid', key: 'unknownRequest', message: `The worker has no command ${what}.` } };
  }
  if (replyId === null) return { ok: false, id: null, error: invalid(type, `it has no usable id (got ${describeValue(id)})`) };
  const problem = paramsProblem(type, msg);
  if (problem) return { ok: false, id: replyId, error: invalid(type, problem) };
  return { ok: true, req: msg as WorkerRequest };
}

/** An 'invalid' error: the key's sentence in this request's words. */
function invalid(type: string | null, detail: string): ReplyError {
  const what = type ? `The ${type} request cannot be read` : 'The worker got a message it cannot read';
  return { code: 'invalid', key: 'invalidRequest', message: `${what}: ${detail}.` };
}

/**
 * Receives every message: admitted requests go to `submit`; the rest are answered
 * (or, without an id, reported as a fault) through `post`.
 */
export function openDoor(submit: (req: WorkerRequest) => void, post: (msg: WorkerMessage) => void): (msg: unknown) => void {
  return (msg) => {
    const a = admit(msg);
    if (a.ok) submit(a.req);
    else if (a.id !== null) post({ type: 'reply', id: a.id, ok: false, error: a.error });
    else post({ type: 'fault', code: a.error.code, message: a.error.message, ...(a.error.key ? { key: a.error.key } : {}) });
  };
}
