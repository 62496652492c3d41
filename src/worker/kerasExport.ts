/**
 * The current model in Keras' terms, for the Python export (`exportWeights`): each layer's kernel
 * [inputs, units] and bias in Keras' order, for inputs standardised by StandardScaler's `mean_`
 * and `scale_` in 0..255 pixel units, so `model.set_weights(...)` reproduces the page's outputs.
 */
import type * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../shared/constants';
import type { KerasWeights, ModelInfo } from '../shared/protocol';
import type { Activation } from '../shared/trainConfig';
import type { SplitData } from './dataset';
import { flatFromArrays } from './mlp';
import { renormalizeFirstLayer } from './renormalize';
import { fitNormalizer, splitIndices, type Normalizer } from './split';

/**
 * @param model the current model as a layers model taking 0..1 pixels (its normalisation folded into the first layer).
 * @param train the MNIST training images, to fit the normaliser of the config the model was trained with.
 */
export async function kerasWeightsOf(
  model: tf.LayersModel,
  info: ModelInfo,
  activation: Activation,
  train: SplitData | null,
): Promise<KerasWeights> {
  const tensors = model.getWeights();
  const arrays = await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
  const sizes = [IMAGE_PIXELS, ...tensors.filter((t) => t.shape.length === 2).map((t) => t.shape[1]!)];
  // Unfolded onto the normaliser of the config it was (last) trained with, or kept on 0-to-1 pixels for a
  // loaded model: the same outputs either way (a continued model's own normaliser may be an earlier run's).
  const folded: Normalizer = { mean: new Float32Array(IMAGE_PIXELS), invStd: new Float32Array(IMAGE_PIXELS).fill(1 / 255) };
  const cfg = info.config;
  const norm =
    cfg?.normalization === 'standardize' && train
      ? fitNormalizer(train.images, splitIndices(train.count, cfg.trainSize, cfg.seed).train, 'standardize')
      : folded;
  const { kernel, bias } = renormalizeFirstLayer(arrays[0]!, arrays[1]!, sizes[1]!, folded, norm);
  arrays[0] = kernel;
  arrays[1] = bias;
  return {
    version: info.version,
    sizes,
    activation,
    params: flatFromArrays(arrays),
    mean: norm.mean.slice(),
    scale: norm === folded ? new Float32Array(IMAGE_PIXELS).fill(255) : norm.invStd.map((v) => 1 / v),
    config: info.config,
    testAccuracy: info.testAccuracy,
    description: info.description,
  };
}
