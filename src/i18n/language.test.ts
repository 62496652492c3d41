import { describe, expect, it } from 'vitest';
import { chooseLanguage, fromBrowser, withLanguage } from './language';

describe('the page’s language', () => {
  it('follows the browser on a first visit: any zh* is Simplified Chinese, else English, in the browser’s order', () => {
    expect(fromBrowser(['zh-CN'])).toBe('zh-CN');
    expect(fromBrowser(['zh-TW', 'en'])).toBe('zh-CN');
    expect(fromBrowser(['zh'])).toBe('zh-CN');
    expect(fromBrowser(['en-GB', 'zh-CN'])).toBe('en');
    expect(fromBrowser(['fr-FR', 'zh-Hans-CN'])).toBe('zh-CN');
    expect(fromBrowser(['de'])).toBe('en');
    expect(fromBrowser([])).toBe('en');
  });

  it('takes a valid ?lang= first, then the kept choice, then the browser', () => {
    expect(chooseLanguage('?lang=zh-CN', 'en', ['en'])).toEqual({ lang: 'zh-CN', source: 'url', refused: null });
    expect(chooseLanguage('?epochs=2', 'zh-CN', ['en'])).toEqual({ lang: 'zh-CN', source: 'stored', refused: null });
    expect(chooseLanguage('', 'klingon', ['zh-CN'])).toEqual({ lang: 'zh-CN', source: 'browser', refused: null });
  });

  it('refuses an unknown ?lang= with English, whatever was kept', () => {
    expect(chooseLanguage('?lang=xx', 'zh-CN', ['zh-CN'])).toEqual({ lang: 'en', source: 'url', refused: 'xx' });
    expect(chooseLanguage('?lang=zh', null, [])).toMatchObject({ lang: 'en', refused: 'zh' });
  });

  it('keeps a shared link’s lang in step with the switch, and adds none', () => {
    expect(withLanguage('?epochs=2&lang=en', 'zh-CN')).toBe('?epochs=2&lang=zh-CN');
    expect(withLanguage('?epochs=2', 'zh-CN')).toBe('?epochs=2');
  });
});
