/** What a lost worker took with it, in words, from the requests that were waiting for it. */
import type { RequestType } from '../shared/protocol';

/** Requests whose loss is worth telling. */
const LOST_WORK: Partial<Record<RequestType, string>> = {
  train: 'the training run under way and the model it trained',
  fineTune: 'the fine-tuning run under way',
  evaluate: 'the test evaluation',
  dream: 'the dreams being made',
  saveModel: 'the model being saved (check the library)',
  exportModel: 'the export',
  exportWeights: 'the export',
  importModel: 'the import',
  loadModel: 'the model being loaded',
  loadBundledModel: 'the model being loaded',
  traceStep: 'the steps being taken by hand',
  undoSteps: 'the undo of the steps taken by hand',
};

/** "Lost: a, b and c." for the pending request types, or null when nothing worth saying was pending. */
export function lostWork(types: readonly RequestType[]): string | null {
  const words = [...new Set(types.map((t) => LOST_WORK[t]).filter((w): w is string => !!w))];
  if (!words.length) return null;
  const list = words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
  return `Lost: ${list}.`;
}
