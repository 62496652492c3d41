import { afterAll, describe, expect, it } from 'vitest';
import i18n, { setupI18n } from '../../i18n';
import { duration, epochsText, percent, speed, STATE_KEY, when } from './text';

setupI18n('', null, []);

describe('the experiments’ figures, in the reader’s language', () => {
  afterAll(() => i18n.changeLanguage('en'));

  it('write English by default', () => {
    const t = i18n.getFixedT('en');
    expect(percent(0.9669)).toBe('96.69%');
    expect(duration(t, 14_830)).toBe('14.8 s');
    expect(duration(t, 125_000)).toBe('2 min 5 s');
    expect(epochsText(t, 1)).toBe('1 epoch');
    expect(epochsText(t, 1.5)).toBe('1.5 epochs');
    expect(epochsText(t, 10)).toBe('10 epochs');
    expect(speed(t, 31_935)).toBe('32K/s');
    expect(speed(t, 850)).toBe('850/s');
    expect(t(STATE_KEY['early-stopped'])).toBe('stopped early');
  });

  it('write Chinese with Chinese units and number words', async () => {
    await i18n.changeLanguage('zh-CN');
    const t = i18n.getFixedT('zh-CN');
    expect(duration(t, 14_830)).toBe('14.8 秒');
    expect(duration(t, 125_000)).toBe('2 分 5 秒');
    expect(epochsText(t, 1)).toBe('1 轮');
    expect(epochsText(t, 1.5)).toBe('1.5 轮');
    expect(speed(t, 31_935)).toBe('3.2万/秒');
    expect(t(STATE_KEY.failed)).toBe('失败');
    expect(when('2026-12-01T10:02:00Z')).toMatch(/12月/);
    expect(when('not a date')).toBe('not a date');
  });
});
