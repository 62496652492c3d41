import { describe, expect, it } from 'vitest';
import { MAX_MODEL_BYTES, singleShardModelJson, validateModelFiles, weightsFileBaseName } from './modelImport';

/** What tf.LayersModel.save writes in TF.js 4.22 for 784 → 64 relu → dropout → 10 softmax (initialisers trimmed). */
function tfjsModel() {
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'sequential_1',
        layers: [
          {
            class_name: 'Dense',
            config: {
              units: 64,
              activation: 'relu',
              use_bias: true,
              name: 'dense_Dense1',
              trainable: true,
              batch_input_shape: [null, 784],
              dtype: 'float32',
            },
          },
          { class_name: 'Dropout', config: { rate: 0.2, noise_shape: null, seed: null, name: 'dropout_Dropout1', trainable: true } },
          { class_name: 'Dense', config: { units: 10, activation: 'softmax', use_bias: true, name: 'dense_Dense2', trainable: true } },
        ],
      },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
    convertedBy: null,
    weightsManifest: [
      {
        paths: ['./model.weights.bin'],
        weights: [
          { name: 'dense_Dense1/kernel', shape: [784, 64], dtype: 'float32' },
          { name: 'dense_Dense1/bias', shape: [64], dtype: 'float32' },
          { name: 'dense_Dense2/kernel', shape: [64, 10], dtype: 'float32' },
          { name: 'dense_Dense2/bias', shape: [10], dtype: 'float32' },
        ],
      },
    ],
  };
}
/** (784*64 + 64 + 64*10 + 10) * 4, the byte length TF.js reported for this model. */
const BYTES = 203560;
const bin = (bytes = BYTES) => [{ name: 'model.weights.bin', bytes }];
type Model = ReturnType<typeof tfjsModel>;
const edit = (f: (m: Model & Record<string, unknown>) => void) => {
  const m = tfjsModel() as Model & Record<string, unknown>;
  f(m);
  return JSON.stringify(m);
};
const reasonOf = (text: string, files = bin()) => {
  const r = validateModelFiles(text, files);
  return r.ok ? 'ok' : r.reason;
};

describe('validateModelFiles: accepts', () => {
  it('what tf.LayersModel.save writes', () => {
    const r = validateModelFiles(JSON.stringify(tfjsModel()), bin());
    expect(r).toEqual({
      ok: true,
      weightsName: 'model.weights.bin',
      weightFiles: ['model.weights.bin'],
      weightBytes: BYTES,
      summary: '784 → 64 → 10',
    });
  });

  it('a Keras conversion: model_config wrapper, InputLayer, sharded weights, extra files ignored', () => {
    const text = edit((m) => {
      const layers = m.modelTopology.config.layers as unknown[];
      delete (layers[0] as { config: Record<string, unknown> }).config.batch_input_shape;
      layers.unshift({ class_name: 'InputLayer', config: { batch_input_shape: [null, 784], dtype: 'float32', name: 'in' } });
      (m as Record<string, unknown>).modelTopology = { keras_version: '2.15', backend: 'tensorflow', model_config: m.modelTopology };
      m.weightsManifest[0]!.paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    });
    const r = validateModelFiles(text, [
      { name: 'group1-shard1of2.bin', bytes: 200000 },
      { name: 'group1-shard2of2.bin', bytes: BYTES - 200000 },
      { name: 'unrelated.bin', bytes: 5 },
    ]);
    expect(r.ok && r.weightFiles).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin']);
    expect(r.ok && r.weightsName).toBe('group1-shard1of2.bin');
  });

  it('an old layer list directly in config, Keras 3 batch_shape and a separate softmax layer', () => {
    const text = edit((m) => {
      const layers = m.modelTopology.config.layers as { class_name: string; config: Record<string, unknown> }[];
      delete layers[0]!.config.batch_input_shape;
      layers[0]!.config.batch_shape = [null, 784];
      layers[2]!.config.activation = 'linear';
      layers.push({ class_name: 'Activation', config: { activation: 'softmax', name: 'act' } });
      (m.modelTopology as Record<string, unknown>).config = layers;
    });
    expect(reasonOf(text)).toBe('ok');
  });

  it('input_shape instead of batch_input_shape, and a functional model', () => {
    const text = edit((m) => {
      const layers = m.modelTopology.config.layers as { class_name: string; config: Record<string, unknown> }[];
      delete layers[0]!.config.batch_input_shape;
      layers[0]!.config.input_shape = [784];
      m.modelTopology.class_name = 'Functional';
      (m.modelTopology.config as Record<string, unknown>).output_layers = [['dense_Dense2', 0, 0]];
    });
    expect(reasonOf(text)).toBe('ok');
  });
});

describe('validateModelFiles: refuses, saying why', () => {
  it('text that is not JSON, or not an object', () => {
    expect(reasonOf('{"format": "layers-model",')).toMatch(/^model.json is not valid JSON/);
    expect(reasonOf('[1,2]')).toBe('model.json is not a JSON object');
  });

  it('a graph model or a file without format / topology / manifest', () => {
    expect(reasonOf(edit((m) => (m.format = 'graph-model')))).toBe(
      'not a TF.js layers model: format is "graph-model" (expected "layers-model")',
    );
    expect(reasonOf(edit((m) => delete (m as Record<string, unknown>).format))).toMatch(/format is missing/);
    expect(reasonOf(edit((m) => delete (m as Record<string, unknown>).modelTopology))).toBe(
      'not a TF.js layers model: modelTopology is missing',
    );
    expect(reasonOf(edit((m) => delete (m as Record<string, unknown>).weightsManifest))).toBe(
      'not a TF.js layers model: weightsManifest is missing',
    );
  });

  it('files over the size limit', () => {
    expect(reasonOf(JSON.stringify(tfjsModel()), bin(MAX_MODEL_BYTES))).toMatch(/^too large: 20\.\d MB \(the limit is 20\.0 MB\)$/);
  });

  it('the wrong input width', () => {
    const text = edit((m) => (m.modelTopology.config.layers[0]!.config.batch_input_shape = [null, 100]));
    expect(reasonOf(text)).toBe('not a 784→10 classifier: input shape [null,100]');
    const image = edit((m) => (m.modelTopology.config.layers[0]!.config.batch_input_shape = [null, 28, 28, 1]));
    expect(reasonOf(image)).toBe('not a 784→10 classifier: input shape [null,28,28,1]');
    const none = edit((m) => delete (m.modelTopology.config.layers[0]!.config as Record<string, unknown>).batch_input_shape);
    expect(reasonOf(none)).toBe('not a 784→10 classifier: model.json does not declare an input shape');
  });

  it('the wrong output: units, activation or layer type', () => {
    expect(reasonOf(edit((m) => (m.modelTopology.config.layers[2]!.config.units = 5)))).toBe(
      'not a 784→10 classifier: the last layer has 5 units',
    );
    expect(reasonOf(edit((m) => (m.modelTopology.config.layers[2]!.config.activation = 'sigmoid')))).toBe(
      "not a 784→10 classifier: the last layer's activation is sigmoid, not softmax",
    );
    expect(reasonOf(edit((m) => m.modelTopology.config.layers.pop()))).toBe(
      'not a 784→10 classifier: the last layer is Dropout, not Dense',
    );
    expect(reasonOf(edit((m) => (m.modelTopology.config.layers = [])))).toBe('the model has no layers');
    expect(reasonOf(edit((m) => (m.modelTopology.class_name = 'Graph')))).toMatch(/^unsupported model class "Graph"/);
  });

  it('a layer name tf cannot take (it would fail half-built and leak a tensor: found by fuzzing)', () => {
    const named = (name: unknown) => edit((m) => ((m.modelTopology.config.layers[2]!.config as { name: unknown }).name = name));
    expect(reasonOf(named([null, 784]))).toBe('a layer has an invalid name [null,784]');
    expect(reasonOf(named(',784'))).toBe('a layer has an invalid name ",784"');
    expect(validateModelFiles(named('dense_3/x.y-z'), bin()).ok).toBe(true);
  });

  it('a missing weights file', () => {
    expect(reasonOf(JSON.stringify(tfjsModel()), [])).toBe(
      'missing weights file model.weights.bin named in model.json (files given: none)',
    );
    expect(reasonOf(JSON.stringify(tfjsModel()), [{ name: 'other.bin', bytes: BYTES }])).toBe(
      'missing weights file model.weights.bin named in model.json (files given: other.bin)',
    );
  });

  it('weights of the wrong size (truncated, or shapes that do not match)', () => {
    expect(reasonOf(JSON.stringify(tfjsModel()), bin(BYTES - 4))).toBe(
      'the weights file holds 203,556 bytes but model.json describes 203,560 bytes',
    );
    const bigger = edit((m) => (m.weightsManifest[0]!.weights[1]!.shape = [65]));
    expect(reasonOf(bigger)).toBe('the weights file holds 203,560 bytes but model.json describes 203,564 bytes');
  });

  it('a malformed manifest', () => {
    expect(reasonOf(edit((m) => (m.weightsManifest[0]!.weights[0]!.shape = [784, -1])))).toBe(
      'weight dense_Dense1/kernel has an invalid shape',
    );
    expect(reasonOf(edit((m) => (m.weightsManifest[0]!.weights[0]!.dtype = 'string')))).toBe(
      'weight dense_Dense1/kernel has an unsupported dtype "string"',
    );
    expect(reasonOf(edit((m) => (m.weightsManifest[0]!.paths = [])))).toBe('model.json names no weights file');
    expect(reasonOf(edit((m) => ((m as Record<string, unknown>).weightsManifest = [{ paths: ['a.bin'] }])))).toBe(
      'weightsManifest group 0 needs "paths" and "weights"',
    );
  });

  it('counts quantised weights at their stored width', () => {
    const text = edit((m) => {
      for (const w of m.weightsManifest[0]!.weights) (w as Record<string, unknown>).quantization = { dtype: 'uint8', min: -1, scale: 0.01 };
    });
    expect(reasonOf(text, bin(BYTES / 4))).toBe('ok');
  });
});

describe('helpers', () => {
  it('weightsFileBaseName strips folders, ./ and queries', () => {
    expect(weightsFileBaseName('./model.weights.bin')).toBe('model.weights.bin');
    expect(weightsFileBaseName('a/b/group1-shard1of1.bin?x=1')).toBe('group1-shard1of1.bin');
    expect(weightsFileBaseName('my%20model.bin')).toBe('my model.bin');
  });

  it('singleShardModelJson merges the groups into one file, weights in order', () => {
    const text = edit((m) => {
      const [a, b, c, d] = m.weightsManifest[0]!.weights;
      m.weightsManifest = [
        { paths: ['s1.bin'], weights: [a!, b!] },
        { paths: ['s2.bin'], weights: [c!, d!] },
      ];
    });
    const merged = JSON.parse(singleShardModelJson(text, 'model.weights.bin')) as Model;
    expect(merged.weightsManifest).toEqual(tfjsModel().weightsManifest);
    expect(validateModelFiles(JSON.stringify(merged), bin()).ok).toBe(true);
  });
});

describe('one rule for weights files, page and worker alike', () => {
  it('refuses a manifest that names the same weights file in two groups', () => {
    const json = JSON.stringify({
      format: 'layers-model',
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 's',
          layers: [{ class_name: 'Dense', config: { units: 10, activation: 'softmax', batch_input_shape: [null, 784] } }],
        },
      },
      weightsManifest: [
        { paths: ['./w.bin'], weights: [{ name: 'k', shape: [784, 10], dtype: 'float32' }] },
        { paths: ['./w.bin'], weights: [{ name: 'b', shape: [10], dtype: 'float32' }] },
      ],
    });
    // The page used to sum the file once and pass it; the worker then saw twice the bytes.
    const check = validateModelFiles(json, [{ name: 'w.bin', bytes: 7850 * 4 }]);
    expect(check).toEqual({ ok: false, reason: 'model.json names the weights file w.bin more than once' });
  });
});
