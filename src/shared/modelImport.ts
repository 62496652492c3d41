/**
 * Checks a TF.js layers-format model (model.json + weight files) before it is sent to
 * the worker, so a wrong file is refused with a precise reason and never reaches tf.
 * Pure: reads the JSON text and the weight files' names and sizes only.
 *
 * What `tf.LayersModel.save` writes in TF.js 4.x:
 * `{format: 'layers-model', modelTopology: {class_name: 'Sequential', config: {name, layers: [{class_name: 'Dense',
 * config: {units, activation, batch_input_shape: [null, 784], ...}}, ...]}}, weightsManifest: [{paths: ['./x.weights.bin'],
 * weights: [{name, shape, dtype}]}]}`. Models converted from Keras wrap the topology in `model_config`, may start with an
 * `InputLayer` (`batch_input_shape`, or `batch_shape` in Keras 3), may be functional (`class_name: 'Model' | 'Functional'`),
 * and older ones keep the layer list directly in `config`. All of these are accepted.
 */
import { IMAGE_PIXELS, NUM_CLASSES } from './constants';

/** Largest model.json + weights accepted, bytes (the reference model is ~0.2 MB). */
export const MAX_MODEL_BYTES = 20_000_000;

export type ModelFilesCheck =
  | {
      ok: true;
      /** Name of the (first) weights file named by model.json: `ModelFiles.weightsName`. */
      weightsName: string;
      /** Every weights file model.json names, in manifest order (concatenate them in this order). */
      weightFiles: string[];
      /** Bytes of weights model.json describes. */
      weightBytes: number;
      /** Layer widths, e.g. "784 → 64 → 64 → 10". */
      summary: string;
    }
  | { ok: false; reason: string };

/** Bytes per element of the dtypes TF.js writes into weight files. */
const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
  int8: 1,
  int16: 2,
  complex64: 8,
};

/** Layer classes a model may hold (the engine takes Dense layers; the others carry no weights). */
const LAYER_CLASSES = new Set(['InputLayer', 'Dense', 'Activation', 'Softmax', 'Dropout', 'Flatten']);

/** Names tf.js accepts for a layer (its variables are named `<layer>/kernel`): tfjs-core's valid tensor name. */
const LAYER_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** "./group1-shard1of1.bin" → "group1-shard1of1.bin" (the name a file picker reports). */
export function weightsFileBaseName(path: string): string {
  const clean = path.split(/[?#]/)[0] ?? '';
  const base = clean.slice(clean.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

const notClassifier = (why: string) => ({ ok: false as const, reason: `not a ${IMAGE_PIXELS}→${NUM_CLASSES} classifier: ${why}` });

/** A layer's config, whatever nesting the format version used. */
function layerConfig(layer: unknown): Json {
  return isObject(layer) && isObject(layer.config) ? layer.config : {};
}

/** The declared [batch, ...] input shape of a layer, if it declares one. */
function declaredInputShape(layer: unknown): unknown[] | null {
  const c = layerConfig(layer);
  for (const key of ['batch_input_shape', 'batch_shape', 'batchInputShape']) {
    if (Array.isArray(c[key])) return c[key] as unknown[];
  }
  if (Array.isArray(c.input_shape)) return [null, ...(c.input_shape as unknown[])];
  return null;
}

function activationName(c: Json): string {
  const a = c.activation;
  if (typeof a === 'string') return a;
  if (isObject(a) && typeof a.class_name === 'string') return a.class_name; // serialised activation object
  if (isObject(a) && isObject(a.config) && typeof a.config.name === 'string') return a.config.name;
  return 'linear';
}

/**
 * Checks model.json and the weight files offered with it.
 * @param modelJsonText text of model.json
 * @param weights name and size (bytes) of every other file the user picked
 */
export function validateModelFiles(modelJsonText: string, weights: { name: string; bytes: number }[]): ModelFilesCheck {
  const jsonBytes = new TextEncoder().encode(modelJsonText).length;
  const totalBytes = weights.reduce((a, w) => a + w.bytes, jsonBytes);
  if (totalBytes > MAX_MODEL_BYTES) {
    return { ok: false, reason: `too large: ${mb(totalBytes)} (the limit is ${mb(MAX_MODEL_BYTES)})` };
  }

  let json: unknown;
  try {
    json = JSON.parse(modelJsonText);
  } catch (e) {
    return { ok: false, reason: `model.json is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isObject(json)) return { ok: false, reason: 'model.json is not a JSON object' };
  if (json.format !== 'layers-model') {
    const got = typeof json.format === 'string' ? `"${json.format}"` : 'missing';
    return { ok: false, reason: `not a TF.js layers model: format is ${got} (expected "layers-model")` };
  }
  if (!isObject(json.modelTopology)) return { ok: false, reason: 'not a TF.js layers model: modelTopology is missing' };
  if (!Array.isArray(json.weightsManifest)) return { ok: false, reason: 'not a TF.js layers model: weightsManifest is missing' };

  // ---- topology: input 784, output Dense(10, softmax)
  const topo = isObject(json.modelTopology.model_config) ? json.modelTopology.model_config : json.modelTopology;
  const modelClass = typeof topo.class_name === 'string' ? topo.class_name : '?';
  if (!['Sequential', 'Model', 'Functional'].includes(modelClass)) {
    return { ok: false, reason: `unsupported model class "${modelClass}" (expected Sequential or a functional Model)` };
  }
  const cfg = topo.config;
  const layers: unknown[] | null = Array.isArray(cfg) ? cfg : isObject(cfg) && Array.isArray(cfg.layers) ? cfg.layers : null;
  if (!layers || layers.length === 0) return { ok: false, reason: 'the model has no layers' };

  let inputShape: unknown[] | null = null;
  for (const layer of layers) {
    inputShape = declaredInputShape(layer);
    if (inputShape) break;
  }
  if (!inputShape) return notClassifier('model.json does not declare an input shape');
  const [, ...features] = inputShape;
  if (features.length !== 1 || features[0] !== IMAGE_PIXELS) return notClassifier(`input shape ${JSON.stringify(inputShape)}`);

  let outIndex = layers.length - 1;
  if (isObject(cfg) && Array.isArray(cfg.output_layers)) {
    const outputs = cfg.output_layers as unknown[];
    if (outputs.length !== 1) return notClassifier(`it has ${outputs.length} outputs`);
    const outName = Array.isArray(outputs[0]) ? outputs[0][0] : undefined;
    const i = layers.findIndex((l) => layerConfig(l).name === outName);
    if (i >= 0) outIndex = i;
  }
  const last = layers[outIndex];
  const lastClass = isObject(last) && typeof last.class_name === 'string' ? last.class_name : '?';
  let dense = last;
  let activation = activationName(layerConfig(last));
  if (lastClass === 'Activation' || lastClass === 'Softmax') {
    // Dense(10) followed by a separate softmax layer
    activation = lastClass === 'Softmax' ? 'softmax' : activationName(layerConfig(last));
    dense = layers[outIndex - 1];
  }
  const denseClass = isObject(dense) && typeof dense.class_name === 'string' ? dense.class_name : '?';
  if (denseClass !== 'Dense') return notClassifier(`the last layer is ${denseClass}, not Dense`);
  const units = layerConfig(dense).units;
  if (units !== NUM_CLASSES) return notClassifier(`the last layer has ${JSON.stringify(units ?? null)} units`);
  if (activation !== 'softmax') return notClassifier(`the last layer's activation is ${activation}, not softmax`);

  const widths = [IMAGE_PIXELS];
  for (const l of layers) {
    const cls = isObject(l) && typeof l.class_name === 'string' ? l.class_name : '?';
    // tf builds every layer (allocating its weights) before ours are set: nothing it cannot take, nothing oversized.
    if (!LAYER_CLASSES.has(cls)) return { ok: false, reason: `unsupported layer class "${cls}" (expected Dense layers)` };
    // A name tf cannot take fails half-way through building, after the layer's weights were made (found by fuzzing: a leak).
    const name = layerConfig(l).name;
    if (name !== undefined && (typeof name !== 'string' || !LAYER_NAME.test(name)))
      return { ok: false, reason: `a layer has an invalid name ${JSON.stringify(name).slice(0, 40)}` };
    if (cls !== 'Dense') continue;
    const units = layerConfig(l).units;
    if (!Number.isInteger(units) || (units as number) < 1)
      return { ok: false, reason: `a Dense layer has ${JSON.stringify(units ?? null)} units` };
    widths.push(units as number);
  }
  const declared = widths.slice(1).reduce((a, w, i) => a + (widths[i]! + 1) * w * 4, 0);
  if (declared > MAX_MODEL_BYTES)
    return { ok: false, reason: `too large: its layers need ${mb(declared)} of weights (the limit is ${mb(MAX_MODEL_BYTES)})` };

  // ---- weights: every named file present, sizes match the shapes
  const offered = new Map(weights.map((w) => [w.name, w.bytes]));
  const weightFiles: string[] = [];
  let expected = 0;
  for (const [g, group] of (json.weightsManifest as unknown[]).entries()) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      return { ok: false, reason: `weightsManifest group ${g} needs "paths" and "weights"` };
    }
    for (const p of group.paths as unknown[]) {
      if (typeof p !== 'string' || p === '') return { ok: false, reason: `weightsManifest group ${g} has an invalid path` };
      weightFiles.push(weightsFileBaseName(p));
    }
    for (const spec of group.weights as unknown[]) {
      const name = isObject(spec) && typeof spec.name === 'string' ? spec.name : `#${g}`;
      if (!isObject(spec) || !Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
        return { ok: false, reason: `weight ${name} has an invalid shape` };
      }
      const q = isObject(spec.quantization) ? spec.quantization.dtype : undefined;
      const dtype = typeof q === 'string' ? q : spec.dtype;
      const size = typeof dtype === 'string' ? DTYPE_BYTES[dtype] : undefined;
      if (!size) return { ok: false, reason: `weight ${name} has an unsupported dtype ${JSON.stringify(dtype ?? null)}` };
      expected += (spec.shape as number[]).reduce((a, d) => a * d, 1) * size;
    }
  }
  if (weightFiles.length === 0) return { ok: false, reason: 'model.json names no weights file' };
  // One rule for page and worker: the weights are the named files concatenated in order, so a file named twice cannot be right.
  const twice = weightFiles.find((f, i) => weightFiles.indexOf(f) !== i);
  if (twice !== undefined) return { ok: false, reason: `model.json names the weights file ${twice} more than once` };
  const missing = weightFiles.filter((f) => !offered.has(f));
  if (missing.length > 0) {
    const got = weights.length ? weights.map((w) => w.name).join(', ') : 'none';
    return { ok: false, reason: `missing weights file ${missing.join(', ')} named in model.json (files given: ${got})` };
  }
  const actual = weightFiles.reduce((a, f) => a + (offered.get(f) ?? 0), 0);
  if (actual !== expected) {
    return {
      ok: false,
      reason: `the weights file${weightFiles.length > 1 ? 's hold' : ' holds'} ${actual.toLocaleString('en-US')} bytes but model.json describes ${expected.toLocaleString('en-US')} bytes`,
    };
  }
  return { ok: true, weightsName: weightFiles[0]!, weightFiles, weightBytes: expected, summary: widths.join(' → ') };
}

/**
 * model.json rewritten to name one weights file holding every weight in manifest order
 * (for a model whose weights came in several shards, concatenated into `weightsName`).
 * Call only on text `validateModelFiles` accepted.
 */
export function singleShardModelJson(modelJsonText: string, weightsName: string): string {
  const json = JSON.parse(modelJsonText) as Json & { weightsManifest: { weights: unknown[] }[] };
  const weights = json.weightsManifest.flatMap((g) => g.weights);
  return JSON.stringify({ ...json, weightsManifest: [{ paths: [`./${weightsName}`], weights }] });
}

/**
 * The first weight holding NaN or ±Infinity, as a sentence; null when every float32 weight is finite.
 * Call only on files `validateModelFiles` accepted (one weights buffer, the named files concatenated in manifest order).
 * @param weights the weights bytes (little-endian, as TF.js writes them).
 */
export function nonFiniteWeights(modelJsonText: string, weights: ArrayBuffer): string | null {
  const json = JSON.parse(modelJsonText) as {
    weightsManifest: { weights: { name: string; shape: number[]; dtype: string; quantization?: { dtype?: string } }[] }[];
  };
  let offset = 0;
  for (const spec of json.weightsManifest.flatMap((g) => g.weights)) {
    const count = spec.shape.reduce((a, d) => a * d, 1);
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const bytes = count * (DTYPE_BYTES[dtype] ?? 0);
    if (dtype === 'float32' && offset % 4 === 0) {
      const values = new Float32Array(weights, offset, count);
      for (let i = 0; i < count; i++) {
        if (!Number.isFinite(values[i]!)) {
          return `weight ${spec.name} holds ${Number.isNaN(values[i]!) ? 'NaN' : 'an infinite number'} (at index ${i}): the model cannot be used`;
        }
      }
    }
    offset += bytes;
  }
  return null;
}
