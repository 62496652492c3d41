/** What a lost worker took with it, as a message, from the requests that were waiting for it. */
import type { RequestType } from '../shared/protocol';
import { msg, type MessageKey, type Msg } from '../i18n/message';

/** Requests whose loss is worth telling: the key of their words (errors.lost.*). */
const LOST_WORK: Partial<Record<RequestType, MessageKey>> = {
  train: 'errors.lost.train',
  fineTune: 'errors.lost.fineTune',
  evaluate: 'errors.lost.evaluate',
  dream: 'errors.lost.dream',
  saveModel: 'errors.lost.saveModel',
  exportModel: 'errors.lost.export',
  exportWeights: 'errors.lost.export',
  importModel: 'errors.lost.importModel',
  loadModel: 'errors.lost.loadModel',
  loadBundledModel: 'errors.lost.loadModel',
  traceStep: 'errors.lost.traceStep',
  undoSteps: 'errors.lost.undoSteps',
};

/** "Lost: a, b and c." for the pending request types (a list the language joins), or null when nothing worth saying was pending. */
export function lostWork(types: readonly RequestType[]): Msg | null {
  const keys = [...new Set(types.map((t) => LOST_WORK[t]).filter((k): k is MessageKey => !!k))];
  if (!keys.length) return null;
  return msg('errors.lost.list', { items: keys.map((k) => msg(k)) });
}
