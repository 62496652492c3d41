import { useTranslation } from 'react-i18next';
import type { Notice } from '../client/trainerState';
import { noticeText } from './noticeText';

/**
 * A passing word (a refused, cancelled or unreadable command) in the reader's language: a refusal
 * by its key, the page's own words by their messages; otherwise the sentence for its code, with
 * the worker's English message as a technical detail (in English, the message itself).
 */
export function NoticeLine({ notice, onDismiss }: { notice: Notice; onDismiss(): void }) {
  const { t, i18n } = useTranslation();
  const { main, detail } = noticeText(t, notice, i18n.resolvedLanguage !== 'zh-CN');
  return (
    <p className="notice" role="status" data-testid="notice">
      {main}{' '}
      <button type="button" className="link" onClick={onDismiss}>
        {t('app.ok')}
      </button>
      {detail && (
        <small className="error-detail" lang="en">
          {t('errors.detail', { detail })}
        </small>
      )}
    </p>
  );
}
