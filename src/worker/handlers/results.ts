/** Reading results of the current model: a prediction, the test report, your digits, one confusion cell's images. */
import type { HandlersFor } from './types';

export const resultHandlers: HandlersFor<'predict' | 'evaluate' | 'evaluateMine' | 'testImages'> = {
  async predict(s, { pixels }) {
    await s.backend.settled();
    return s.engine.predict(pixels);
  },

  async evaluate(s) {
    await s.backend.settled();
    return s.engine.evaluate();
  },

  async evaluateMine(s, { digits }) {
    await s.backend.settled();
    return s.readDigits(digits);
  },

  /** Reads the last evaluation's sorting and the host copy of the test images: no tensors. */
  async testImages(s, { label, predicted, limit }) {
    return s.engine.cellImages(label, predicted, limit);
  },
};
