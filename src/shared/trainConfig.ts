/**
 * The one table of hyperparameters. It drives the defaults (the reference
 * recipe), validation, the controls panel and the URL query (same names).
 */
import { MNIST_TRAIN_COUNT } from './constants';

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu'] as const;
/** `standardize`: per-pixel mean/std fitted on the training split (StandardScaler); `unit`: pixels / 255. */
export const NORMALIZATIONS = ['standardize', 'unit'] as const;
export const BACKENDS = ['auto', 'webgl', 'webgpu', 'wasm', 'cpu'] as const;

export type Optimizer = (typeof OPTIMIZERS)[number];
export type Activation = (typeof ACTIVATIONS)[number];
export type Normalization = (typeof NORMALIZATIONS)[number];
export type BackendChoice = (typeof BACKENDS)[number];

/** Largest training set: 80% of the 60,000 MNIST training images. */
export const MAX_TRAIN_SIZE = Math.round(MNIST_TRAIN_COUNT * 0.8);

export interface TrainConfig {
  /** Passes over the training set. */
  epochs: number;
  /** Samples per gradient step. */
  batchSize: number;
  learningRate: number;
  optimizer: Optimizer;
  /** Units of each hidden dense layer, input side first; [] is plain softmax regression. */
  hiddenUnits: number[];
  activation: Activation;
  /** Dropout rate after each hidden layer, 0 = off. */
  dropout: number;
  normalization: Normalization;
  /** Training images used (validation takes a quarter as many: the 80/20 split). */
  trainSize: number;
  /** Early stopping: epochs without a lower validation loss before stopping; 0 = off. */
  patience: number;
  /** Seed for the split, the shuffles, the initial weights and dropout. */
  seed: number;
  /**
   * Data augmentation strength, 0 = off (the recipe): each training image is randomly shifted,
   * turned, scaled, slanted and thickened or thinned, up to 3 px, 15°, ±15%, 0.3 shear at 1.
   */
  augment: number;
  backend: BackendChoice;
}

/** The reference recipe (the Keras tutorial this product re-creates). */
export const DEFAULT_CONFIG: Readonly<TrainConfig> = Object.freeze({
  epochs: 10,
  batchSize: 32,
  learningRate: 0.001,
  optimizer: 'adam',
  hiddenUnits: [64, 64],
  activation: 'relu',
  dropout: 0,
  normalization: 'standardize',
  trainSize: MAX_TRAIN_SIZE,
  patience: 0,
  seed: 42,
  augment: 0,
  backend: 'auto',
});

export type ConfigKey = keyof TrainConfig;

/**
 * A row of the table. The page shows its label and help from the messages (`params.<key>.label`,
 * `params.<key>.help`, in the reader's language); `label` is its English name, for the worker's
 * English replies (configErrorText).
 */
interface ParamBase<K extends ConfigKey> {
  key: K;
  label: string;
}
export type ParamSpec =
  | (ParamBase<'epochs' | 'batchSize' | 'trainSize' | 'patience' | 'seed'> & { kind: 'int'; min: number; max: number })
  | (ParamBase<'learningRate' | 'dropout' | 'augment'> & {
      kind: 'float';
      min: number;
      max: number;
      minExclusive?: boolean;
      maxExclusive?: boolean;
    })
  | (ParamBase<'optimizer'> & { kind: 'enum'; options: readonly Optimizer[] })
  | (ParamBase<'activation'> & { kind: 'enum'; options: readonly Activation[] })
  | (ParamBase<'normalization'> & { kind: 'enum'; options: readonly Normalization[] })
  | (ParamBase<'backend'> & { kind: 'enum'; options: readonly BackendChoice[] })
  | (ParamBase<'hiddenUnits'> & { kind: 'intList'; min: number; max: number; maxLength: number });

/** Every hyperparameter, in the order the controls panel shows them. */
export const PARAMS: readonly ParamSpec[] = [
  {
    key: 'epochs',
    label: 'Epochs',
    kind: 'int',
    min: 1,
    max: 200,
  },
  {
    key: 'batchSize',
    label: 'Batch size',
    kind: 'int',
    min: 1,
    max: 4096,
  },
  {
    key: 'learningRate',
    label: 'Learning rate',
    kind: 'float',
    min: 0,
    max: 10,
    minExclusive: true,
  },
  {
    key: 'optimizer',
    label: 'Optimizer',
    kind: 'enum',
    options: OPTIMIZERS,
  },
  {
    key: 'hiddenUnits',
    label: 'Hidden layers',
    kind: 'intList',
    min: 1,
    max: 1024,
    maxLength: 8,
  },
  {
    key: 'activation',
    label: 'Activation',
    kind: 'enum',
    options: ACTIVATIONS,
  },
  {
    key: 'dropout',
    label: 'Dropout',
    kind: 'float',
    min: 0,
    max: 1,
    maxExclusive: true,
  },
  {
    key: 'normalization',
    label: 'Normalisation',
    kind: 'enum',
    options: NORMALIZATIONS,
  },
  {
    key: 'trainSize',
    label: 'Training images',
    kind: 'int',
    min: 100,
    max: MAX_TRAIN_SIZE,
  },
  {
    key: 'patience',
    label: 'Early stopping',
    kind: 'int',
    min: 0,
    max: 100,
  },
  {
    key: 'seed',
    label: 'Seed',
    kind: 'int',
    min: 0,
    max: 2 ** 31 - 1,
  },
  {
    key: 'augment',
    label: 'Augmentation',
    kind: 'float',
    min: 0,
    max: 1,
  },
  {
    key: 'backend',
    label: 'Backend',
    kind: 'enum',
    options: BACKENDS,
  },
];

/**
 * Why a value is invalid, as data: the page words it in the reader's language
 * (`params.error.<code>` with the field's label), the worker in English (configErrorText).
 */
export type ConfigError =
  | { code: 'int' | 'number' | 'layerList' }
  | { code: 'intRange' | 'layerRange'; min: number; max: number }
  | { code: 'floatRange'; min: number; max: number; minExclusive: boolean; maxExclusive: boolean }
  | { code: 'oneOf'; options: readonly string[] }
  | { code: 'maxLayers'; max: number };

export type ConfigErrors = Partial<Record<ConfigKey, ConfigError>>;

/** The error in English (the worker's replies and logs), named by the field's English label. */
export function configErrorText(key: ConfigKey, e: ConfigError): string {
  const label = PARAMS.find((p) => p.key === key)?.label ?? key;
  switch (e.code) {
    case 'int':
      return `${label} must be a whole number`;
    case 'number':
      return `${label} must be a number`;
    case 'layerList':
      return `${label} must be whole numbers separated by commas, e.g. 64,64`;
    case 'intRange':
      return `${label} must be between ${e.min} and ${e.max}`;
    case 'layerRange':
      return `${label}: each layer needs ${e.min} to ${e.max} units`;
    case 'floatRange':
      return `${label} must be ${e.minExclusive ? 'above' : 'at least'} ${e.min} and ${e.maxExclusive ? 'below' : 'at most'} ${e.max}`;
    case 'oneOf':
      return `${label} must be one of: ${e.options.join(', ')}`;
    case 'maxLayers':
      return `${label}: at most ${e.max} layers`;
  }
}

/** `-0` (from `?seed=-0`) as 0: the link written back says 0, so the value read must be 0 too (found by fuzzing). */
const noNegativeZero = (n: number) => (Object.is(n, -0) ? 0 : n);

function parseParam(spec: ParamSpec, raw: string): { value?: unknown; error?: ConfigError } {
  const text = raw.trim();
  switch (spec.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(text)) return { error: { code: 'int' } };
      const n = Number(text);
      if (n < spec.min || n > spec.max) return { error: { code: 'intRange', min: spec.min, max: spec.max } };
      return { value: noNegativeZero(n) };
    }
    case 'float': {
      const n = text === '' ? NaN : Number(text);
      if (!Number.isFinite(n)) return { error: { code: 'number' } };
      const lowOk = spec.minExclusive ? n > spec.min : n >= spec.min;
      const highOk = spec.maxExclusive ? n < spec.max : n <= spec.max;
      if (!lowOk || !highOk)
        return {
          error: { code: 'floatRange', min: spec.min, max: spec.max, minExclusive: !!spec.minExclusive, maxExclusive: !!spec.maxExclusive },
        };
      return { value: noNegativeZero(n) };
    }
    case 'enum': {
      const options: readonly string[] = spec.options;
      if (!options.includes(text)) return { error: { code: 'oneOf', options } };
      return { value: text };
    }
    case 'intList': {
      if (text === '') return { value: [] };
      const parts = text.split(',').map((p) => p.trim());
      if (parts.length > spec.maxLength) return { error: { code: 'maxLayers', max: spec.maxLength } };
      const units: number[] = [];
      for (const p of parts) {
        if (!/^\d+$/.test(p)) return { error: { code: 'layerList' } };
        const n = Number(p);
        if (n < spec.min || n > spec.max) return { error: { code: 'layerRange', min: spec.min, max: spec.max } };
        units.push(n);
      }
      return { value: units };
    }
  }
}

/** Text form of a value, as the URL and the form fields hold it. */
export function formatParam(key: ConfigKey, value: TrainConfig[ConfigKey]): string {
  if (key === 'hiddenUnits') return (value as number[]).join(',');
  return String(value);
}

/**
 * Validates text values (from the form or the URL) over the defaults.
 * Keys absent from `raw` keep their value from `base`; each invalid one gets a message.
 */
export function parseConfig(
  raw: Partial<Record<ConfigKey, string>>,
  base: Readonly<TrainConfig> = DEFAULT_CONFIG,
): { config: TrainConfig; errors: ConfigErrors } {
  const config: TrainConfig = { ...base, hiddenUnits: [...base.hiddenUnits] };
  const errors: ConfigErrors = {};
  for (const spec of PARAMS) {
    const text = raw[spec.key];
    if (text === undefined) continue;
    const { value, error } = parseParam(spec, text);
    if (error) errors[spec.key] = error;
    else (config as unknown as Record<string, unknown>)[spec.key] = value;
  }
  return { config, errors };
}

/** Checks a whole config object (e.g. one received by the worker); returns the messages, empty when valid. */
export function validateConfig(config: TrainConfig): ConfigErrors {
  const raw: Partial<Record<ConfigKey, string>> = {};
  for (const spec of PARAMS) raw[spec.key] = formatParam(spec.key, config[spec.key]);
  return parseConfig(raw).errors;
}

/** Reads the hyperparameters from a URL query string (`?epochs=1&hiddenUnits=128,64`); unknown names are ignored. */
export function configFromQuery(search: string): { config: TrainConfig; errors: ConfigErrors } {
  const params = new URLSearchParams(search);
  const raw: Partial<Record<ConfigKey, string>> = {};
  for (const spec of PARAMS) {
    const v = params.get(spec.key);
    if (v !== null) raw[spec.key] = v;
  }
  return parseConfig(raw);
}

/**
 * Writes the values that differ from the defaults into `search` (other query
 * parameters are kept), so a shared link reproduces the configuration.
 */
export function configToQuery(config: TrainConfig, search = ''): string {
  const params = new URLSearchParams(search);
  for (const spec of PARAMS) {
    const text = formatParam(spec.key, config[spec.key]);
    if (text === formatParam(spec.key, DEFAULT_CONFIG[spec.key])) params.delete(spec.key);
    else params.set(spec.key, text);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Validation images used with a given training-set size (the 80/20 split). */
export function validationSizeFor(trainSize: number): number {
  return Math.round(trainSize / 4);
}
