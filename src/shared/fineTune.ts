/**
 * Fine-tuning on your digits: what the run looks like. The current model is
 * continued (same layers, activation and input normalisation) for one short
 * pass over a mix of MNIST training images and your digits, your digits
 * repeated so they make up `YOUR_SHARE` of the mix: enough to matter, too few
 * to make it forget MNIST.
 */
import type { Activation, Normalization, TrainConfig } from './trainConfig';

/** MNIST training images in the mix (from the seeded training split, never validation or test). */
export const FINE_TUNE_MNIST_IMAGES = 6000;
/** Share of the mix that is your digits (each repeated as often as needed). */
export const YOUR_SHARE = 0.2;
/** Passes over the mix: a few seconds on a laptop's CPU. */
export const FINE_TUNE_EPOCHS = 1;
/** Learning rate: half the recipe's, so the weights move, not jump. */
export const FINE_TUNE_LEARNING_RATE = 0.0005;

/** Copies of each of your digits in a mix with `mnistImages` MNIST images (at least 1). */
export function repeatsFor(yourCount: number, mnistImages = FINE_TUNE_MNIST_IMAGES, share = YOUR_SHARE): number {
  if (yourCount <= 0) return 0;
  return Math.max(1, Math.round((share / (1 - share)) * (mnistImages / yourCount)));
}

/** The current model's shape, which the fine-tune run must keep (or it would start a new model). */
export interface ModelShape {
  hiddenUnits: number[];
  activation: Activation;
  /** The model's input normalisation when known; a loaded model works on raw pixels and keeps them whatever this says. */
  normalization: Normalization;
}

/**
 * The run's hyperparameters: the form's batch size, optimizer, seed, backend
 * and augmentation; the model's shape; the fine-tune epochs, learning rate and size.
 */
export function fineTuneConfig(form: TrainConfig, shape: ModelShape): TrainConfig {
  return {
    ...form,
    hiddenUnits: [...shape.hiddenUnits],
    activation: shape.activation,
    normalization: shape.normalization,
    epochs: FINE_TUNE_EPOCHS,
    learningRate: FINE_TUNE_LEARNING_RATE,
    trainSize: FINE_TUNE_MNIST_IMAGES,
    patience: 0,
    dropout: 0,
  };
}
