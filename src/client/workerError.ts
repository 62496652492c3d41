/** A request the worker answered with an error, as the client rejects it. */
import type { RefusalKey } from '../shared/commands';
import type { BackendName, ErrorCode } from '../shared/protocol';
import { english, msg, type MessageKey, type MessageValue, type Msg } from '../i18n/message';

/** A rejected request: the worker's error code and message (and, for refusals, the sentence's key). */
export class WorkerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For 'backend' errors: the backend that failed. */
    readonly backend?: BackendName | 'auto',
    /** For 'refused' and 'invalid': the stable key of the sentence (commands.ts REFUSALS). */
    readonly key?: RefusalKey,
    /** For failures the page noticed itself (no worker, a lost one): its words as messages, for the reader's language. */
    readonly text?: readonly Msg[],
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

/** A failure the page noticed itself: its message in the reader's language, and the same words in English as `message`. */
export function clientError(code: ErrorCode, key: MessageKey, values?: Readonly<Record<string, MessageValue>>): WorkerError {
  const text = [msg(key, values)];
  return new WorkerError(code, english(text), undefined, undefined, text);
}
