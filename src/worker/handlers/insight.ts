/** Looking inside the network: how it reads one input, and the input each digit's score likes most. */
import { dream } from '../dreams';
import type { HandlersFor } from './types';

export const insightHandlers: HandlersFor<'inspect' | 'dream'> = {
  async inspect(s, { pixels }) {
    await s.backend.settled();
    return s.engine.inspect(pixels);
  },

  async dream(s, { steps }) {
    return s.withLayersModel(async (model) => {
      const version = s.engine.version;
      // Start from the mean digit and move pixels in proportion to how much they vary in MNIST.
      const stats = s.pixelStats();
      const { images, confidences } = await dream(model, {
        ...(steps ? { steps } : {}),
        ...(stats ? { start: stats.mean, pixelScale: stats.spread } : {}),
      });
      return { version, images, confidences };
    });
  },
};
