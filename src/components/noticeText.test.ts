import { describe, expect, it } from 'vitest';
import i18n, { setupI18n } from '../i18n';
import { msg } from '../i18n/message';
import { noticeText } from './noticeText';

setupI18n('?lang=en', null, []);
const en = i18n.getFixedT('en');
const zh = i18n.getFixedT('zh-CN');

describe('noticeText', () => {
  it('words a refusal by its key, in each language', () => {
    const n = { code: 'refused', key: 'stopToLoad', message: 'anything' } as const;
    expect(noticeText(en, n, true)).toEqual({ main: 'Stop training to load a model.', detail: null });
    expect(noticeText(zh, n, false)).toEqual({ main: '请先停止训练再加载模型。', detail: null });
  });

  it("keeps the worker's English as the words in English, and as a detail under Chinese words", () => {
    const n = { code: 'invalid', key: 'invalidRequest', message: 'The dream request cannot be read: steps …' } as const;
    expect(noticeText(en, n, true).main).toMatch(/dream request cannot be read/);
    expect(noticeText(zh, n, false)).toEqual({ main: '训练线程收到了一个无法读取的请求。', detail: n.message });
    expect(noticeText(zh, { code: 'cancelled', message: 'Cancelled by reset.' }, false).main).toBe('该命令已取消。');
  });

  it("words the page's own messages in the reader's language", () => {
    const n = { code: 'cancelled', message: 'The worker was restarted.', text: [msg('errors.worker.wasRestarted')] } as const;
    expect(noticeText(zh, n, false)).toEqual({ main: '训练线程已重启。', detail: null });
  });
});
