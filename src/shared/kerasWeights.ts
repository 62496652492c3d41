/**
 * A Keras MLP's weights as the tutorial saves them, in and out of the page:
 * `np.savez('mnist_mlp.npz', *model.get_weights(), mean=scaler.mean_, scale=scaler.scale_)`, i.e.
 * `arr_0`, `arr_1`, … each Dense layer's kernel [inputs, units] then its bias [units] (Keras
 * order), `mean` and `scale` [784] in the units of `mnist.load_data()` pixels (0..255; for the
 * 0-to-1 normalisation mean 0 and scale 255). Read strictly (shapes chain 784 → … → 10, finite
 * numbers, bounded sizes, a sentence for anything else) and turned into the TF.js layers files the
 * worker imports, the normalisation folded into the first layer so the model takes 0..1 pixels.
 * Pure: no DOM, no tf.
 */
import { IMAGE_PIXELS, NUM_CLASSES } from './constants';
import { MAX_MODEL_BYTES } from './modelImport';
import type { NpyArray } from './npy';
import { NpzError, readNpz, writeNpz } from './npz';
import type { KerasWeights, ModelFiles } from './protocol';
import { PARAMS, type Activation } from './trainConfig';

/** A refused weights file, with a sentence saying why. */
export class KerasWeightsError extends Error {
  override name = 'KerasWeightsError';
}

/** The two lines a Keras user runs to write the file the page reads. */
export const NPZ_SNIPPET = "import numpy as np\nnp.savez('mnist_mlp.npz', *model.get_weights(), mean=scaler.mean_, scale=scaler.scale_)";

const hidden = PARAMS.find((p) => p.key === 'hiddenUnits') as { min: number; max: number; maxLength: number };
/** Hidden layers and units per layer accepted: the hyperparameter table's bounds, so the page can continue and fine-tune the model. */
export const MAX_HIDDEN_LAYERS = hidden.maxLength;
export const MAX_HIDDEN_UNITS = hidden.max;
/** Most parameters: what a TF.js import allows (MAX_MODEL_BYTES of float32). */
export const MAX_PARAMETERS = Math.floor(MAX_MODEL_BYTES / 4) - 10_000;

/** A checked dense stack, as Keras holds it. */
export interface KerasStack {
  /** Layer widths, 784 first, 10 last. */
  sizes: number[];
  /** Per layer: the kernel [inputs * units] row-major, then the bias [units]. */
  kernels: Float32Array[];
  biases: Float32Array[];
  /** [784] StandardScaler's mean_ and scale_, 0..255 units. */
  mean: Float64Array;
  scale: Float64Array;
}

const shapeText = (shape: readonly number[]) => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

function finite(key: string, a: NpyArray): void {
  const i = firstNonFinite(a.data);
  if (i >= 0) {
    const what = Number.isNaN(a.data[i]!) ? 'NaN' : 'an infinite number';
    throw new KerasWeightsError(`${key} holds ${what} (at index ${i.toLocaleString('en-US')}): the model cannot be used`);
  }
}

/**
 * Checks the arrays of a tutorial `.npz` and returns the dense stack.
 * @throws KerasWeightsError with the reason.
 */
export function stackFromArrays(arrays: ReadonlyMap<string, NpyArray>): KerasStack {
  const weightKeys = [...arrays.keys()].filter((k) => /^arr_\d+$/.test(k));
  const others = [...arrays.keys()].filter((k) => !weightKeys.includes(k) && k !== 'mean' && k !== 'scale');
  if (others.length) throw new KerasWeightsError(`it holds an array named ${others[0]} (expected arr_0, arr_1, …, mean and scale)`);
  if (weightKeys.length === 0)
    throw new KerasWeightsError("it holds no weights (arr_0, arr_1, …): save them with np.savez('mnist_mlp.npz', *model.get_weights(), …)");
  for (let k = 0; k < weightKeys.length; k++) {
    if (!arrays.has(`arr_${k}`))
      throw new KerasWeightsError(`arr_${k} is missing (arr_0 … arr_${weightKeys.length - 1} must all be there)`);
  }
  if (weightKeys.length % 2)
    throw new KerasWeightsError(
      `it holds ${weightKeys.length} weight arrays: each Dense layer has two (kernel, bias), so the count must be even`,
    );
  const mean = arrays.get('mean');
  const scale = arrays.get('scale');
  if (!mean || !scale)
    throw new KerasWeightsError(
      'it has no mean and scale: add mean=scaler.mean_, scale=scaler.scale_ (for pixels / 255: mean=np.zeros(784), scale=np.full(784, 255.0))',
    );

  const layers = weightKeys.length / 2;
  if (layers - 1 > MAX_HIDDEN_LAYERS)
    throw new KerasWeightsError(`it has ${layers - 1} hidden layers (the page handles at most ${MAX_HIDDEN_LAYERS})`);
  const sizes = [IMAGE_PIXELS];
  const kernels: Float32Array[] = [];
  const biases: Float32Array[] = [];
  let parameters = 0;
  for (let l = 0; l < layers; l++) {
    const kernel = arrays.get(`arr_${2 * l}`)!;
    const bias = arrays.get(`arr_${2 * l + 1}`)!;
    const inputs = sizes[l]!;
    const which = l === 0 ? 'the first kernel' : `layer ${l + 1}'s kernel`;
    if (kernel.shape.length !== 2 || kernel.shape[0] !== inputs)
      throw new KerasWeightsError(
        `arr_${2 * l} (${which}) has shape ${shapeText(kernel.shape)}: expected (${inputs}, units), as Keras stores a kernel [inputs, units]`,
      );
    const units = kernel.shape[1]!;
    const last = l === layers - 1;
    if (last && units !== NUM_CLASSES)
      throw new KerasWeightsError(`the last layer (arr_${2 * l}) has ${units} units: a digit classifier needs ${NUM_CLASSES}`);
    if (!last && (units < 1 || units > MAX_HIDDEN_UNITS))
      throw new KerasWeightsError(`hidden layer ${l + 1} has ${units} units (the page handles 1 to ${MAX_HIDDEN_UNITS})`);
    if (bias.shape.length !== 1 || bias.shape[0] !== units)
      throw new KerasWeightsError(
        `arr_${2 * l + 1} (a bias) has shape ${shapeText(bias.shape)}: expected (${units},), one per unit of arr_${2 * l}`,
      );
    parameters += inputs * units + units;
    if (parameters > MAX_PARAMETERS)
      throw new KerasWeightsError(`the model is too large (over ${MAX_PARAMETERS.toLocaleString('en-US')} parameters)`);
    finite(`arr_${2 * l}`, kernel);
    finite(`arr_${2 * l + 1}`, bias);
    kernels.push(Float32Array.from(kernel.data));
    biases.push(Float32Array.from(bias.data));
    sizes.push(units);
  }
  for (const [key, a] of [
    ['mean', mean],
    ['scale', scale],
  ] as const) {
    if (a.shape.length !== 1 || a.shape[0] !== IMAGE_PIXELS)
      throw new KerasWeightsError(`${key} has shape ${shapeText(a.shape)}: expected (${IMAGE_PIXELS},), one value per pixel`);
    finite(key, a);
  }
  const bad = scale.data.findIndex((v) => !(v > 0));
  if (bad >= 0) throw new KerasWeightsError(`scale must be positive, but scale[${bad}] is ${scale.data[bad]}`);
  return { sizes, kernels, biases, mean: Float64Array.from(mean.data), scale: Float64Array.from(scale.data) };
}

/**
 * Reads a tutorial `.npz` file.
 * @throws KerasWeightsError with the reason (also for a damaged archive or a bad `.npy` inside).
 */
export function readKerasNpz(bytes: Uint8Array): KerasStack {
  let arrays: Map<string, NpyArray>;
  try {
    arrays = readNpz(bytes, MAX_PARAMETERS);
  } catch (e) {
    if (e instanceof NpzError) throw new KerasWeightsError(e.message);
    throw e;
  }
  return stackFromArrays(arrays);
}

/**
 * The first layer for 0..1 pixels p: x = (255 p − mean) / scale, so W'[i] = W[i] · 255 / scale_i and
 * b' = b − Σ_i (mean_i / scale_i) · W[i] (summed in float64).
 */
export function foldFirstLayer(kernel: Float32Array, bias: Float32Array, units: number, mean: ArrayLike<number>, scale: ArrayLike<number>) {
  const inputs = kernel.length / units;
  const k2 = new Float32Array(kernel.length);
  const b2 = Float64Array.from(bias);
  for (let i = 0; i < inputs; i++) {
    const s = 255 / scale[i]!;
    const shift = mean[i]! / scale[i]!;
    for (let u = 0; u < units; u++) {
      const w = kernel[i * units + u]!;
      k2[i * units + u] = w * s;
      b2[u]! -= shift * w;
    }
  }
  return { kernel: k2, bias: Float32Array.from(b2) };
}

/** The weights file name the layers model names. */
export const NPZ_WEIGHTS_NAME = 'mnist_mlp.weights.bin';

/**
 * TF.js layers files of the stack (what `importModel` takes): a Sequential of Dense layers taking
 * 0..1 pixels, the normalisation folded into the first layer, softmax last.
 * @param activation the hidden layers' activation (the `.npz` does not say; the tutorial's is relu).
 * @throws KerasWeightsError when the folded weights overflow float32.
 */
export function layersFilesOf(stack: KerasStack, activation: Activation): ModelFiles {
  const { kernel, bias } = foldFirstLayer(stack.kernels[0]!, stack.biases[0]!, stack.sizes[1]!, stack.mean, stack.scale);
  if (firstNonFinite(kernel) >= 0 || firstNonFinite(bias) >= 0)
    throw new KerasWeightsError('mean and scale overflow the first layer once folded into it (is a scale value tiny?)');
  const kernels = [kernel, ...stack.kernels.slice(1)];
  const biases = [bias, ...stack.biases.slice(1)];
  const layers = kernels.map((_, l) => ({
    class_name: 'Dense',
    config: {
      name: `dense_${l + 1}`,
      units: stack.sizes[l + 1],
      activation: l === kernels.length - 1 ? 'softmax' : activation,
      use_bias: true,
      trainable: true,
      dtype: 'float32',
      ...(l === 0 ? { batch_input_shape: [null, IMAGE_PIXELS] } : {}),
    },
  }));
  const weights = kernels.flatMap((_, l) => [
    { name: `dense_${l + 1}/kernel`, shape: [stack.sizes[l]!, stack.sizes[l + 1]!], dtype: 'float32' },
    { name: `dense_${l + 1}/bias`, shape: [stack.sizes[l + 1]!], dtype: 'float32' },
  ]);
  const modelJson = JSON.stringify({
    format: 'layers-model',
    generatedBy: 'MNIST playground (from a Keras .npz)',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'mnist_mlp', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [`./${NPZ_WEIGHTS_NAME}`], weights }],
  });
  const total = kernels.reduce((n, k, l) => n + k.length + biases[l]!.length, 0);
  const flat = new Float32Array(total);
  let off = 0;
  kernels.forEach((k, l) => {
    flat.set(k, off);
    off += k.length;
    flat.set(biases[l]!, off);
    off += biases[l]!.length;
  });
  return { modelJson, weights: flat.buffer, weightsName: NPZ_WEIGHTS_NAME };
}

/** The `.npz` of the page's model, in the tutorial's layout (float32 weights, float64 mean and scale as StandardScaler keeps them). */
export function npzOf(w: Pick<KerasWeights, 'sizes' | 'params' | 'mean' | 'scale'>): Uint8Array<ArrayBuffer> {
  const arrays: { key: string; shape: number[]; data: Float32Array | Float64Array }[] = [];
  let off = 0;
  for (let l = 0; l + 1 < w.sizes.length; l++) {
    const [inputs, units] = [w.sizes[l]!, w.sizes[l + 1]!];
    arrays.push({ key: `arr_${2 * l}`, shape: [inputs, units], data: w.params.subarray(off, off + inputs * units) });
    off += inputs * units;
    arrays.push({ key: `arr_${2 * l + 1}`, shape: [units], data: w.params.subarray(off, off + units) });
    off += units;
  }
  arrays.push({ key: 'mean', shape: [IMAGE_PIXELS], data: Float64Array.from(w.mean) });
  arrays.push({ key: 'scale', shape: [IMAGE_PIXELS], data: Float64Array.from(w.scale) });
  return writeNpz(arrays);
}

/** "784 → 64 → 64 → 10" */
export function sizesText(sizes: readonly number[]): string {
  return sizes.join(' → ');
}
