import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../shared/trainConfig';
import {
  autoName,
  bestValAccuracy,
  decimateSteps,
  perClassAccuracy,
  runsToPrune,
  settingsDiff,
  sortRuns,
  uniqueNames,
} from './runHistoryRecord';
import { runRecord } from './runHistoryFixtures';
import i18n, { setupI18n } from '../i18n';

setupI18n('', null, []);
const t = i18n.getFixedT('en');
const zh = i18n.getFixedT('zh-CN');

const cfg = (c: Partial<TrainConfig> = {}): TrainConfig => ({ ...DEFAULT_CONFIG, hiddenUnits: [...DEFAULT_CONFIG.hiddenUnits], ...c });

describe('automatic run names', () => {
  it('say what differs from the reference recipe, in a fixed order', () => {
    expect(autoName('train', cfg(), t)).toBe('reference recipe');
    expect(autoName('train', cfg({ learningRate: 0.01, optimizer: 'sgd' }), t)).toBe('sgd, lr 0.01');
    expect(autoName('train', cfg({ hiddenUnits: [128, 64], dropout: 0.2 }), t)).toBe('128-64, dropout 0.2');
    expect(autoName('train', cfg({ trainSize: 600, epochs: 1 }), t)).toBe('1 epoch, 600 images');
    expect(autoName('train', cfg({ hiddenUnits: [] }), t)).toBe('no hidden layer');
    expect(autoName('train', cfg({ normalization: 'unit', seed: 7 }), t)).toBe('pixels 0-1, seed 7');
  });

  it('leave out the backend, shorten long lists, and name fine-tunes, continued and shipped runs', () => {
    expect(autoName('train', cfg({ backend: 'cpu' }), t)).toBe('reference recipe');
    expect(autoName('train', cfg({ optimizer: 'rmsprop', learningRate: 0.1, activation: 'tanh', dropout: 0.5, batchSize: 64 }), t)).toBe(
      'rmsprop, lr 0.1, tanh, dropout 0.5, …',
    );
    expect(autoName('continued', cfg({ epochs: 2 }), t)).toBe('continued: 2 epochs');
    expect(autoName('fine-tune', cfg(), t)).toBe('fine-tune on your digits');
    expect(autoName('shipped', cfg(), t)).toMatch(/shipped/);
  });

  it('are written in the page’s language when shown (never stored)', () => {
    expect(autoName('train', cfg(), zh)).toBe('参考配方');
    expect(autoName('train', cfg({ learningRate: 0.01, optimizer: 'sgd' }), zh)).toBe('sgd，学习率 0.01');
    expect(autoName('train', cfg({ trainSize: 600, epochs: 1 }), zh)).toBe('1 轮，600 张图像');
    expect(autoName('continued', cfg({ epochs: 2 }), zh)).toBe('继续训练：2 轮');
    expect(uniqueNames([runRecord('1'), runRecord('2', { endedAt: '2099-01-01T00:00:00Z' })], zh).get('2')).toBe('参考配方 (2)');
  });

  it('are numbered when two runs of a list share one, oldest first', () => {
    const names = uniqueNames(
      [runRecord('3'), runRecord('1'), runRecord('2', { config: cfg({ seed: 1 }) }), runRecord('4', { name: 'mine' })],
      t,
    );
    expect(names.get('1')).toBe('reference recipe');
    expect(names.get('3')).toBe('reference recipe (2)');
    expect(names.get('2')).toBe('seed 1');
    expect(names.get('4')).toBe('mine');
  });
});

describe('curves and results', () => {
  it('decimates a long per-step curve to at most 200 points, averaging neighbours and keeping the last', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ epoch: (i + 1) / 100, loss: i % 2, accuracy: 0.5 }));
    const out = decimateSteps(points);
    expect(out).toHaveLength(200);
    expect(out.at(-1)).toEqual(points.at(-1));
    expect(out.slice(0, -1).every((p) => Math.abs(p.loss - 0.5) < 0.2)).toBe(true);
    expect(out.map((p) => p.epoch)).toEqual([...out.map((p) => p.epoch)].sort((a, b) => a - b));
    expect(decimateSteps(points.slice(0, 50))).toEqual(points.slice(0, 50));
  });

  it('reads per-digit accuracy off the confusion matrix', () => {
    const counts = new Array<number>(100).fill(0);
    counts[0] = 9;
    counts[1] = 1; // a 0 read as 1
    counts[11] = 5;
    expect(perClassAccuracy(counts).slice(0, 3)).toEqual([0.9, 1, 0]);
  });

  it('finds the best validation accuracy', () => {
    const epochs = [0.8, 0.95, 0.9].map((v, i) => ({ epoch: i + 1, trainLoss: 0, trainAccuracy: 0, valLoss: 0, valAccuracy: v }));
    expect(bestValAccuracy({ epochs })).toBe(0.95);
    expect(bestValAccuracy({ epochs: [] })).toBeNull();
  });
});

describe('comparing and keeping runs', () => {
  it('lists only the settings that differ', () => {
    const rows = settingsDiff([{ config: cfg({ optimizer: 'sgd' }) }, { config: cfg() }, { config: cfg({ hiddenUnits: [] }) }]);
    expect(rows.map((r) => [r.key, r.values])).toEqual([
      ['optimizer', ['sgd', 'adam', 'adam']],
      ['hiddenUnits', ['64,64', '64,64', '']],
    ]);
    expect(settingsDiff([{ config: cfg() }, { config: cfg() }])).toEqual([]);
  });

  it('sorts newest first, by test accuracy or by time', () => {
    const runs = [
      runRecord('1', { test: { loss: 0, accuracy: 0.9, perClass: [] }, elapsedMs: 300 }),
      runRecord('2', { test: null, elapsedMs: 100 }),
      runRecord('3', { test: { loss: 0, accuracy: 0.95, perClass: [] }, elapsedMs: null }),
    ];
    expect(sortRuns(runs, 'newest').map((r) => r.id)).toEqual(['3', '2', '1']);
    expect(sortRuns(runs, 'accuracy').map((r) => r.id)).toEqual(['3', '1', '2']);
    expect(sortRuns(runs, 'time').map((r) => r.id)).toEqual(['2', '1', '3']);
  });

  it('makes room by deleting the oldest unpinned runs, never the new one', () => {
    const runs = [runRecord('1', { pinned: true }), runRecord('2'), runRecord('3'), runRecord('4')];
    expect(runsToPrune(runs, '4', 4)).toEqual([]);
    expect(runsToPrune(runs, '4', 3)).toEqual(['2']);
    expect(runsToPrune(runs, '2', 2)).toEqual(['3', '4']);
  });
});
