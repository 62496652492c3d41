import { describe, expect, it } from 'vitest';
import i18n, { setupI18n } from './index';
import { clockText } from './format';
import { english, msg, sentences, tr } from './message';

setupI18n('?lang=en', null, []);
const en = i18n.getFixedT('en');
const zh = i18n.getFixedT('zh-CN');

describe('messages as data', () => {
  it('words a message with nested messages and lists, in each language', () => {
    const lost = msg('errors.lost.list', { items: [msg('errors.lost.train'), msg('errors.lost.evaluate')] });
    expect(tr(en, lost, 'en')).toBe('Lost: the training run under way and the model it trained and the test evaluation.');
    expect(tr(zh, lost, 'zh-CN')).toBe('丢失了：正在进行的训练及其训练出的模型和测试评估。');
    expect(english([msg('errors.worker.restarted', { why: msg('errors.worker.crashed') })])).toMatch(
      /^The training worker crashed\. It was restarted/,
    );
  });

  it('joins sentences with a space in English and none in Chinese', async () => {
    const parts = [msg('errors.worker.wasRestarted'), msg('errors.worker.kept')];
    expect(sentences(en, parts)).toBe('The worker was restarted. Saved models and your digits are kept.');
    await i18n.changeLanguage('zh-CN');
    expect(sentences(i18n.t, parts)).toBe('训练线程已重启。已保存的模型和你的数字都保留着。');
    await i18n.changeLanguage('en');
  });

  it('formats numbers through Intl inside messages: percentages, thousands, clocks, plurals', () => {
    expect(en('data.ready', { count: 70000 })).toBe('70,000 images ready');
    expect(zh('data.ready', { count: 70000 })).toBe('70,000 张图像已就绪');
    expect(en('verdict.chance.headline', { accuracy: 0.1135 })).toMatch(/^Stuck at chance: 11\.4% is/);
    expect(en('verdict.note.epochs', { count: 1 })).toBe('1 epoch');
    expect(en('verdict.note.epochs', { count: 3 })).toBe('3 epochs');
    expect(zh('verdict.note.epochs', { count: 1 })).toBe('1 轮');
    expect(en('progress.eta', { ms: 65_000 })).toBe('about 1:05 left');
    expect(zh('progress.eta', { ms: 42_000 })).toBe('约剩 42 秒');
    expect(clockText(2 * 3600_000 + 5 * 60_000, 'zh-CN')).toBe('2 小时 05 分');
    expect(clockText(Number.NaN)).toBe('–');
  });
});
