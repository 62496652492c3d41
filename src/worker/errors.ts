/**
 * Errors with the protocol's error codes, and the classification of what tf throws.
 */
import { errorMessage } from '../shared/errorMessage';
import type { BackendName, ErrorCode, ReplyError } from '../shared/protocol';

/** An error with the protocol's error code (and, for backend failures, the backend that failed). */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly backend?: BackendName | 'auto',
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

const OOM =
  /out of memory|oom\b|allocation failed|failed to allocate|cannot allocate|memory access out of bounds|Array buffer allocation|exceeds .*memory|texture size/i;

/** Classifies an exception (from tf, IndexedDB or our own code) into an EngineError. */
export function toEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  const message = errorMessage(e);
  if (OOM.test(message))
    return new EngineError('oom', `Out of memory: ${message}. Try fewer hidden units, a smaller batch or fewer training images.`);
  return new EngineError('internal', message);
}

/** The reply form of any exception. */
export function toReplyError(e: unknown): ReplyError {
  const err = toEngineError(e);
  return err.backend ? { code: err.code, message: err.message, backend: err.backend } : { code: err.code, message: err.message };
}
