/**
 * "Export for Python": the page's model as a Keras 3 script in the tutorial's own style
 * (`mnist.load_data()`, `train_test_split(..., random_state=seed)`, `StandardScaler`,
 * `keras.Sequential([... Dense ...])`, `compile(...)`, `fit(...)`, `evaluate(...)`), with this
 * model's settings. By default it loads the exported weights (`mnist_mlp.npz`, kerasWeights.ts)
 * and evaluates them; with `--train` it trains the same recipe from scratch and saves the weights
 * in the same layout, which the page imports. Pure: text only.
 *
 * The API used was checked against the Keras 3 documentation (keras.io/api): `keras.Sequential`,
 * `keras.Input(shape=...)`, `keras.layers.Dense(units, activation=...)`, `keras.layers.Dropout(rate)`,
 * `keras.optimizers.Adam/SGD/RMSprop(learning_rate=...)`, `Model.compile(optimizer, loss, metrics)`,
 * `Model.fit(x, y, batch_size, epochs, validation_data, callbacks)`, `Model.evaluate(x, y, verbose)`,
 * `Model.get_weights/set_weights`, `keras.callbacks.EarlyStopping(monitor, patience,
 * restore_best_weights)`, `keras.utils.set_random_seed(seed)`, `keras.datasets.mnist.load_data()`.
 */
import { DEFAULT_CONFIG, type Activation, type TrainConfig } from './trainConfig';

/** File names the export writes and the script reads. */
export const PY_FILE = 'mnist_mlp.py';
export const NPZ_FILE = 'mnist_mlp.npz';

export interface ScriptInput {
  /** Layer widths, 784 first, 10 last. */
  sizes: readonly number[];
  activation: Activation;
  /** The settings it was trained with; null for a loaded model (the reference recipe's are written). */
  config: TrainConfig | null;
  /** Test accuracy the page measured, 0..1. */
  testAccuracy: number | null;
  /** A name for the run, e.g. "sgd, lr 0.01". */
  name: string;
  /** What the page says of the model, e.g. "784-64-64-10, trained 10 epochs, test accuracy 96.9%". */
  description: string;
  /** Extra facts for the header, e.g. that it was fine-tuned on your digits. */
  notes?: readonly string[];
  /** ISO date of the export. */
  date: string;
}

const KERAS_OPTIMIZER = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' } as const;

/** Text safe inside a Python docstring and a comment: no backslashes, quotes or line breaks. */
function safe(text: string): string {
  return text.replace(/[\\"\r\n\t]/g, ' ').replace(/'''/g, "'");
}

/** A Python float literal: 0.001 → "0.001", 1e-7 → "1e-7", 0 → "0.0". */
function pyFloat(n: number): string {
  const s = String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** The script's text. */
export function pythonScript(input: ScriptInput): string {
  const c: TrainConfig = input.config ?? {
    ...DEFAULT_CONFIG,
    hiddenUnits: input.sizes.slice(1, -1) as number[],
    activation: input.activation,
  };
  const hidden = input.sizes.slice(1, -1);
  const standardise = c.normalization === 'standardize';
  const accuracy =
    input.testAccuracy === null ? 'not evaluated in the page' : `test accuracy in the page ${(input.testAccuracy * 100).toFixed(2)}%`;
  const notes = [...(input.notes ?? [])];
  if (!input.config)
    notes.push('The page loaded this model rather than training it: the training settings below are the reference recipe’s.');
  if (c.augment > 0)
    notes.push(
      `The page trained on augmented images (augment ${c.augment}: random shifts, turns, scaling, slant and stroke width); --train here does not augment.`,
    );
  const header = [
    `"""The MNIST playground's model "${safe(input.name)}", as a Keras script.`,
    '',
    `Exported from the MNIST playground on ${input.date.slice(0, 10)}: ${safe(input.description)}; ${accuracy}.`,
    ...notes.map((n) => safe(n)),
    '',
    `    python ${PY_FILE}           # loads the page's weights (${NPZ_FILE}) and evaluates them`,
    `    python ${PY_FILE} --train   # trains the same recipe from scratch, then saves ${NPZ_FILE}`,
    '',
    'Needs Keras 3 with a backend (e.g. pip install keras tensorflow), scikit-learn and numpy.',
    'The page splits and shuffles with its own seeded generator, so a model retrained here reaches',
    'a close, not the identical, accuracy.',
    '"""',
  ];

  const layerLines = [
    `    keras.Input(shape=(784,)),`,
    ...hidden.flatMap((units) => [
      `    layers.Dense(${units}, activation='${input.activation}'),`,
      ...(c.dropout > 0 ? [`    layers.Dropout(${pyFloat(c.dropout)}),`] : []),
    ]),
    `    layers.Dense(10, activation='softmax'),`,
  ];

  const scaling = standardise
    ? [
        "# Standardise each pixel with the training images' mean and spread (the page's, when loading).",
        'if TRAIN:',
        '    scaler = StandardScaler().fit(x_train)',
        '    mean, scale = scaler.mean_, scaler.scale_',
        'else:',
        "    mean, scale = saved['mean'], saved['scale']",
      ]
    : [
        '# Pixels scaled to 0..1 (the page\'s "0 to 1" normalisation: mean 0, scale 255).',
        'if TRAIN:',
        '    mean, scale = np.zeros(784), np.full(784, 255.0)',
        'else:',
        "    mean, scale = saved['mean'], saved['scale']",
      ];

  const callbacks =
    c.patience > 0
      ? [`        callbacks=[keras.callbacks.EarlyStopping(monitor='val_loss', patience=${c.patience}, restore_best_weights=True)],`]
      : [];

  return [
    ...header,
    'import sys',
    '',
    'import keras',
    'import numpy as np',
    'from keras import layers',
    'from keras.datasets import mnist',
    'from sklearn.model_selection import train_test_split',
    ...(standardise ? ['from sklearn.preprocessing import StandardScaler'] : []),
    '',
    `SEED = ${c.seed}`,
    `EPOCHS = ${c.epochs}`,
    `BATCH_SIZE = ${c.batchSize}`,
    `LEARNING_RATE = ${pyFloat(c.learningRate)}`,
    `TRAIN_SIZE = ${c.trainSize}  # training images; validation takes a quarter as many`,
    `WEIGHTS = '${NPZ_FILE}'`,
    "TRAIN = '--train' in sys.argv",
    '',
    'keras.utils.set_random_seed(SEED)',
    '',
    '# 60,000 training and 10,000 test images of 28x28 pixels (0..255), flattened to 784.',
    '(x_train, y_train), (x_test, y_test) = mnist.load_data()',
    "x_train = x_train.reshape(-1, 784).astype('float32')",
    "x_test = x_test.reshape(-1, 784).astype('float32')",
    '',
    '# 80% to learn from, 20% held out to check progress (validation).',
    'x_train, x_val, y_train, y_val = train_test_split(x_train, y_train, test_size=0.2, random_state=SEED)',
    'x_train, y_train = x_train[:TRAIN_SIZE], y_train[:TRAIN_SIZE]',
    'x_val, y_val = x_val[:TRAIN_SIZE // 4], y_val[:TRAIN_SIZE // 4]',
    '',
    'if not TRAIN:',
    '    saved = np.load(WEIGHTS)',
    ...scaling,
    'x_train, x_val, x_test = [(x - mean) / scale for x in (x_train, x_val, x_test)]',
    '',
    `# ${hidden.length ? `${hidden.length} hidden layer${hidden.length === 1 ? '' : 's'} (${hidden.join(', ')} units, ${input.activation})` : 'No hidden layer'}, then 10 probabilities.`,
    'model = keras.Sequential([',
    ...layerLines,
    '])',
    'model.compile(',
    `    optimizer=keras.optimizers.${KERAS_OPTIMIZER[c.optimizer]}(learning_rate=LEARNING_RATE),`,
    "    loss='sparse_categorical_crossentropy',",
    "    metrics=['accuracy'],",
    ')',
    '',
    'if TRAIN:',
    '    model.fit(',
    '        x_train,',
    '        y_train,',
    '        epochs=EPOCHS,',
    '        batch_size=BATCH_SIZE,',
    '        validation_data=(x_val, y_val),',
    ...callbacks,
    '    )',
    '    # The layout the page imports: kernels and biases in Keras order, then the normalisation.',
    '    np.savez(WEIGHTS, *model.get_weights(), mean=mean, scale=scale)',
    "    print(f'saved {WEIGHTS}: import it in the page (Saved models, Import files)')",
    'else:',
    "    model.set_weights([saved[f'arr_{i}'] for i in range(len(model.get_weights()))])",
    '',
    'test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)',
    "print(f'test accuracy {test_accuracy:.2%}, test loss {test_loss:.4f}')",
    '',
  ].join('\n');
}
