/** A request the worker answered with an error, as the client rejects it. */
import type { RefusalKey } from '../shared/commands';
import type { BackendName, ErrorCode } from '../shared/protocol';

/** A rejected request: the worker's error code and message (and, for refusals, the sentence's key). */
export class WorkerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For 'backend' errors: the backend that failed. */
    readonly backend?: BackendName | 'auto',
    /** For 'refused' and 'invalid': the stable key of the sentence (commands.ts REFUSALS). */
    readonly key?: RefusalKey,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}
