import { describe, expect, it } from 'vitest';
import {
  configFromQuery,
  configToQuery,
  DEFAULT_CONFIG,
  MAX_TRAIN_SIZE,
  configErrorText,
  parseConfig,
  PARAMS,
  validateConfig,
  validationSizeFor,
} from './trainConfig';

describe('the hyperparameter table', () => {
  it('defaults to the reference recipe', () => {
    expect(DEFAULT_CONFIG).toEqual({
      epochs: 10,
      batchSize: 32,
      learningRate: 0.001,
      optimizer: 'adam',
      hiddenUnits: [64, 64],
      activation: 'relu',
      dropout: 0,
      normalization: 'standardize',
      trainSize: 48000,
      patience: 0,
      seed: 42,
      augment: 0,
      backend: 'auto',
    });
    expect(MAX_TRAIN_SIZE + validationSizeFor(MAX_TRAIN_SIZE)).toBe(60000);
    expect(validateConfig({ ...DEFAULT_CONFIG, hiddenUnits: [64, 64] })).toEqual({});
  });

  it('names every TrainConfig key exactly once, in the URL names of the issue', () => {
    expect(PARAMS.map((p) => p.key).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
  });

  it('reads a shared link and writes only what differs from the defaults', () => {
    const { config, errors } = configFromQuery('?epochs=1&hiddenUnits=128,32,16&optimizer=sgd&learningRate=0.05&trainSize=600&unrelated=x');
    expect(errors).toEqual({});
    expect(config).toMatchObject({
      epochs: 1,
      hiddenUnits: [128, 32, 16],
      optimizer: 'sgd',
      learningRate: 0.05,
      trainSize: 600,
      batchSize: 32,
    });
    const q = configToQuery(config, '?unrelated=x');
    expect(new URLSearchParams(q).get('unrelated')).toBe('x');
    expect(configFromQuery(q).config).toEqual(config);
    expect(configToQuery(DEFAULT_CONFIG)).toBe('');
    expect(configFromQuery('?hiddenUnits=').config.hiddenUnits).toEqual([]);
  });

  it('reads -0 as 0, as the link written back says', () => {
    const { config } = configFromQuery('?seed=-0&patience=-0&dropout=-0&augment=-0');
    for (const v of [config.seed, config.patience, config.dropout, config.augment]) expect(Object.is(v, 0)).toBe(true);
  });

  it('gives a clear message for each invalid value and keeps the default', () => {
    const { config, errors } = parseConfig({
      epochs: '0',
      batchSize: '3.5',
      learningRate: '-1',
      optimizer: 'adagrad',
      hiddenUnits: '64,abc',
      dropout: '1',
      trainSize: '50',
      seed: 'x',
    });
    expect(configErrorText('epochs', errors.epochs!)).toBe('Epochs must be between 1 and 200');
    expect(configErrorText('batchSize', errors.batchSize!)).toBe('Batch size must be a whole number');
    expect(configErrorText('learningRate', errors.learningRate!)).toBe('Learning rate must be above 0 and at most 10');
    expect(configErrorText('optimizer', errors.optimizer!)).toBe('Optimizer must be one of: adam, sgd, rmsprop');
    expect(configErrorText('hiddenUnits', errors.hiddenUnits!)).toMatch(/whole numbers separated by commas/);
    expect(configErrorText('dropout', errors.dropout!)).toBe('Dropout must be at least 0 and below 1');
    expect(configErrorText('trainSize', errors.trainSize!)).toBe('Training images must be between 100 and 48000');
    expect(configErrorText('seed', errors.seed!)).toBe('Seed must be a whole number');
    expect(config).toEqual({ ...DEFAULT_CONFIG, hiddenUnits: [64, 64] });
    expect(configErrorText('learningRate', parseConfig({ learningRate: 'NaN' }).errors.learningRate!)).toBe(
      'Learning rate must be a number',
    );
    expect(configErrorText('hiddenUnits', parseConfig({ hiddenUnits: '1,2,3,4,5,6,7,8,9' }).errors.hiddenUnits!)).toMatch(
      /at most 8 layers/,
    );
    expect(configErrorText('hiddenUnits', parseConfig({ hiddenUnits: '0' }).errors.hiddenUnits!)).toMatch(/1 to 1024 units/);
  });
});

describe('augment', () => {
  it('is off by default, read from the URL, checked to be 0..1, and left out of the URL at 0', () => {
    expect(DEFAULT_CONFIG.augment).toBe(0);
    expect(configFromQuery('?augment=0.5').config.augment).toBe(0.5);
    expect(configErrorText('augment', configFromQuery('?augment=2').errors.augment!)).toMatch(
      /Augmentation must be at least 0 and at most 1/,
    );
    expect(configErrorText('augment', configFromQuery('?augment=x').errors.augment!)).toMatch(/number/);
    expect(configToQuery({ ...DEFAULT_CONFIG, augment: 0.5 })).toBe('?augment=0.5');
    expect(configToQuery({ ...DEFAULT_CONFIG, hiddenUnits: [64, 64] })).toBe('');
  });
});
