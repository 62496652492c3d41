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
}

export const DEFAULT_DREAM: DreamOptions = { steps: 150, stepSize: 0.05, decay: 0.01, blurEvery: 4, seed: 7 };

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
 * @returns images [10 * 784] in 0..1 (digit d at d * 784) and the model's probability of d for each.
 */
export async function dream(model: tf.LayersModel, options: Partial<DreamOptions> = {}): Promise<{ images: Float32Array; confidences: number[] }> {
  const o = { ...DEFAULT_DREAM, ...options };
  let state = o.seed >>> 0 || 1;
  const rand = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const noise = new Float32Array(NUM_CLASSES * IMAGE_PIXELS).map(() => 0.1 * rand());
  const init = tf.tensor4d(noise, [NUM_CLASSES, IMAGE_SIZE, IMAGE_SIZE, 1]);
  const x = tf.variable(init);
  init.dispose();
  const target = tf.tidy(() => tf.oneHot(tf.range(0, NUM_CLASSES, 1, 'int32'), NUM_CLASSES).asType('float32'));
  const blurKernel = tf.tensor4d([1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16), [3, 3, 1, 1]);
  const objective = (img: tf.Tensor) => {
    const probs = model.apply(img.reshape([NUM_CLASSES, IMAGE_PIXELS])) as tf.Tensor2D;
    return tf.sum(tf.mul(target, tf.log(tf.add(probs, 1e-7))));
  };
  const gradFn = tf.grad(objective);
  try {
    for (let step = 0; step < o.steps; step++) {
      const dy = Math.floor(rand() * 3);
      const dx = Math.floor(rand() * 3);
      tf.tidy(() => {
        const jittered = roll(x, dy, dx);
        const g = roll(gradFn(jittered) as tf.Tensor4D, (IMAGE_SIZE - dy) % IMAGE_SIZE, (IMAGE_SIZE - dx) % IMAGE_SIZE);
        // Normalise per image so every class moves at the same pace.
        const norm = tf.add(tf.sqrt(tf.sum(tf.square(g), [1, 2, 3], true)), 1e-8);
        let next = tf.add(tf.mul(x, 1 - o.decay), tf.mul(tf.div(g, norm), o.stepSize * IMAGE_SIZE)) as tf.Tensor4D;
        if (step % o.blurEvery === o.blurEvery - 1) next = tf.conv2d(next, blurKernel, 1, 'same');
        x.assign(tf.clipByValue(next, 0, 1) as tf.Tensor4D);
      });
      // Keep the worker responsive to predict/stop messages.
      if (step % 25 === 24) await new Promise((r) => setTimeout(r, 0));
    }
    const probs = tf.tidy(() => model.apply(x.reshape([NUM_CLASSES, IMAGE_PIXELS])) as tf.Tensor2D);
    const [imagesData, probsData] = await Promise.all([x.data(), probs.data()]);
    probs.dispose();
    const confidences = Array.from({ length: NUM_CLASSES }, (_, d) => probsData[d * NUM_CLASSES + d]!);
    return { images: Float32Array.from(imagesData), confidences };
  } finally {
    x.dispose();
    target.dispose();
    blurKernel.dispose();
  }
}
