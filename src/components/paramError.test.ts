import { describe, expect, it } from 'vitest';
import i18n, { setupI18n } from '../i18n';
import { configErrorText, parseConfig } from '../shared/trainConfig';
import { errorText } from './paramError';

setupI18n('?lang=en', null, []);

describe('a form error in the reader’s language', () => {
  const { errors } = parseConfig({ epochs: '0', learningRate: '-1', optimizer: 'adagrad', hiddenUnits: '0', batchSize: 'x' });

  it('says in English what the worker says, with the field’s label', () => {
    const en = i18n.getFixedT('en');
    for (const key of ['epochs', 'learningRate', 'optimizer', 'hiddenUnits', 'batchSize'] as const)
      expect(errorText(en, key, errors[key]!)).toBe(configErrorText(key, errors[key]!));
  });

  it('says it in Chinese, with the glossary’s label and the same limits', () => {
    const zh = i18n.getFixedT('zh-CN');
    expect(errorText(zh, 'epochs', errors.epochs!)).toBe('训练轮数必须在 1 到 200 之间');
    expect(errorText(zh, 'learningRate', errors.learningRate!)).toBe('学习率必须大于 0 且不大于 10');
    expect(errorText(zh, 'batchSize', errors.batchSize!)).toBe('批大小必须是整数');
    expect(errorText(zh, 'hiddenUnits', errors.hiddenUnits!)).toBe('隐藏层：每层需要 1 到 1024 个神经元');
  });
});
