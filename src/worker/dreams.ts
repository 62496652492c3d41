/**
 * "Dreams": for each digit, the input the network finds most like it, by
 * gradient ascent on the class's log-probability from a faint noise image,
 * with L2 decay, jitter and a small blur between steps so the result looks
 * like a digit rather than adversarial noise. Works on a tf.LayersModel that
 * takes pixels in [0, 1] (as Engine.toLayersModel returns).
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../shared/constants';

export interface DreamOptions {
  /** Gradient-ascent steps. */
  steps: number;
  /** Step size on the normalised gradient. */
  stepSize: number;
  /** L2 decay per step (pulls pixels to black). */
  decay: number;
  /** Blur every this many steps. */
  blurEvery: number;
  /** Seed of the starting noise and the jitter. */
  seed: number;
  /**
   * Per-pixel spread of the data ([784], e.g. the pixels' standard deviation in [0, 1] units).
   * The gradient is scaled by its square (ascent in standardised space), so pixels that are
   * almost never inked, whose weights can be huge, do not take over the image.
   */
  pixelScale?: Float32Array;
  /** Starting image ([784] in 0..1, e.g. the mean digit); faint noise when absent. */
  start?: Float32Array;
}

export const DEFAULT_DREAM: DreamOptions = { steps: 200, stepSize: 0.1, decay: 0.01, blurEvery: 4, seed: 7 };

/** Rolls [n, 28, 28, 1] images by (dy, dx) pixels with wrap-around. */
function roll(x: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  return tf.tidy(() => {
    let y = x;
    if (dy) y = tf.concat([y.slice([0, IMAGE_SIZE - dy, 0, 0], [-1, dy, -1, -1]), y.slice([0, 0, 0, 0], [-1, IMAGE_SIZE - dy, -1, -1])], 1);
    if (dx) y = tf.concat([y.slice([0, 0, IMAGE_SIZE - dx, 0], [-1, -1, dx, -1]), y.slice([0, 0, 0, 0], [-1, -1, IMAGE_SIZE - dx, -1])], 2);
    return y;
  });
}

/**
 * Per-pixel mean (in [0, 1]) and standard deviation (scaled so the largest is 1) of `count`
 * images ([count * 784] bytes): the `start` and `pixelScale` for dream().
 */
export function pixelStats(images: Uint8Array, count: number): { mean: Float32Array; spread: Float32Array } {
  const sum = new Float64Array(IMAGE_PIXELS);
  const sq = new Float64Array(IMAGE_PIXELS);
  for (let n = 0; n < count; n++) {
    const o = n * IMAGE_PIXELS;
    for (let i = 0; i < IMAGE_PIXELS; i++) {
      const v = images[o + i]! / 255;
      sum[i]! += v;
      sq[i]! += v * v;
    }
  }
  const mean = new Float32Array(IMAGE_PIXELS);
  const spread = new Float32Array(IMAGE_PIXELS);
  let max = 0;
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    mean[i] = sum[i]! / count;
    spread[i] = Math.sqrt(Math.max(0, sq[i]! / count - mean[i]! * mean[i]!));
    max = Math.max(max, spread[i]!);
  }
  if (max > 0) for (let i = 0; i < IMAGE_PIXELS; i++) spread[i]! /= max;
  return { mean, spread };
}

/**
 * @returns images [10 * 784] in 0..1 (digit d at d * 784) and the model's probability of d for each.
 */
export async function dream(
  model: tf.LayersModel,
  options: Partial<DreamOptions> = {},
): Promise<{ images: Float32Array; confidences: number[] }> {
  const o = { ...DEFAULT_DREAM, ...options };
  let state = o.seed >>> 0 || 1;
  const rand = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  // The starting noise is preconditioned too: none where the data never varies.
  const noise = new Float32Array(NUM_CLASSES * IMAGE_PIXELS).map((_, i) =>
    Math.min(1, (o.start?.[i % IMAGE_PIXELS] ?? 0) + 0.1 * rand() * (o.pixelScale?.[i % IMAGE_PIXELS] ?? 1)),
  );
  const init = tf.tensor4d(noise, [NUM_CLASSES, IMAGE_SIZE, IMAGE_SIZE, 1]);
  const x = tf.variable(init);
  init.dispose();
  const target = tf.tidy(() => tf.oneHot(tf.range(0, NUM_CLASSES, 1, 'int32'), NUM_CLASSES).asType('float32'));
  const precondition = o.pixelScale ? tf.tidy(() => tf.square(tf.tensor4d(o.pixelScale!, [1, IMAGE_SIZE, IMAGE_SIZE, 1]))) : null;
  const blurKernel = tf.tensor4d(
    [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
    [3, 3, 1, 1],
  );
  // The log-probability straight from the logits: log(softmax) of a class the network rules
  // out has no usable gradient once its probability rounds to nothing.
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const last = layers[layers.length - 1]!;
  const [lastKernel, lastBias] = last.getWeights();
  /** [10] each image's log-probability of its own class. */
  const ownLogProb = (img: tf.Tensor): tf.Tensor1D => {
    let h: tf.Tensor = img.reshape([NUM_CLASSES, IMAGE_PIXELS]);
    for (const l of layers.slice(0, -1)) h = l.apply(h) as tf.Tensor;
    let logits = tf.matMul(h as tf.Tensor2D, lastKernel as tf.Tensor2D);
    if (lastBias) logits = tf.add(logits, lastBias);
    return tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1);
  };
  const objective = (img: tf.Tensor) => tf.sum(ownLogProb(img));
  const gradFn = tf.grad(objective);
  // The best image of each class met while polishing, and its log-probability: the result.
  const [best, bestScore] = tf.tidy(() => [
    tf.variable(tf.zeros<tf.Rank.R4>([NUM_CLASSES, IMAGE_SIZE, IMAGE_SIZE, 1])),
    tf.variable(tf.fill<tf.Rank.R1>([NUM_CLASSES], -Infinity)),
  ]);
  try {
    // The last fifth polishes without jitter or blur, with a shrinking step, so the result
    // settles where the network is sure instead of wherever the last perturbation left it; the
    // best image it meets is kept (a sharp network's confidence can flip between steps, e.g. a
    // 1 at 100% one step and 1% the last).
    const polishFrom = Math.floor(o.steps * 0.8);
    for (let step = 0; step < o.steps; step++) {
      const polishing = step >= polishFrom;
      const dy = polishing ? 0 : Math.floor(rand() * 3);
      const dx = polishing ? 0 : Math.floor(rand() * 3);
      const stepSize = polishing ? o.stepSize * (0.5 - (0.4 * (step - polishFrom)) / Math.max(1, o.steps - polishFrom)) : o.stepSize;
      tf.tidy(() => {
        const jittered = roll(x, dy, dx);
        let g = roll(gradFn(jittered) as tf.Tensor4D, (IMAGE_SIZE - dy) % IMAGE_SIZE, (IMAGE_SIZE - dx) % IMAGE_SIZE);
        if (precondition) g = tf.mul(g, precondition);
        // Normalise per image so every class moves at the same pace.
        const norm = tf.add(tf.sqrt(tf.sum(tf.square(g), [1, 2, 3], true)), 1e-8);
        let next = tf.add(tf.mul(x, 1 - o.decay), tf.mul(tf.div(g, norm), stepSize * IMAGE_SIZE)) as tf.Tensor4D;
        if (!polishing && step % o.blurEvery === o.blurEvery - 1) {
          // The blur is a step on a smoothness prior, so it goes through the same preconditioner
          // as the gradient. Unpreconditioned it put ink on rim pixels no digit inks, whose
          // folded first-layer weights are a thousand times the centre's (~8,000 against a
          // median of 4.3), and a class the network reads there (a 0 read as a 1 from the
          // first step) never recovered.
          const smoothing = tf.sub(tf.conv2d(next, blurKernel, 1, 'same'), next);
          next = tf.add(next, precondition ? tf.mul(smoothing, precondition) : smoothing);
        }
        x.assign(tf.clipByValue(next, 0, 1) as tf.Tensor4D);
        if (polishing) {
          const score = ownLogProb(x);
          const better = tf.greater(score, bestScore);
          best.assign(tf.where(tf.broadcastTo(better.reshape([NUM_CLASSES, 1, 1, 1]), x.shape), x, best) as tf.Tensor4D);
          bestScore.assign(tf.where(better, score, bestScore) as tf.Tensor1D);
        }
      });
      // Keep the worker responsive to predict/stop messages.
      if (step % 25 === 24) await new Promise((r) => setTimeout(r, 0));
    }
    if (o.steps > polishFrom) x.assign(best);
    const probs = tf.tidy(() => model.apply(x.reshape([NUM_CLASSES, IMAGE_PIXELS])) as tf.Tensor2D);
    const [imagesData, probsData] = await Promise.all([x.data(), probs.data()]);
    probs.dispose();
    const confidences = Array.from({ length: NUM_CLASSES }, (_, d) => probsData[d * NUM_CLASSES + d]!);
    return { images: Float32Array.from(imagesData), confidences };
  } finally {
    x.dispose();
    best.dispose();
    bestScore.dispose();
    target.dispose();
    precondition?.dispose();
    blurKernel.dispose();
  }
}
