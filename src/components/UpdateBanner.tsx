import { useTranslation } from 'react-i18next';
import { tr } from '../i18n/message';
import { useState, useSyncExternalStore } from 'react';
import { applyUpdate, offlineUse, subscribeUpdate, updateState } from '../client/serviceWorker';

/**
 * "A new version is ready" with a Reload button, when the service worker has a new build; and,
 * where no service worker can register, a line at the end of the page saying offline use is off.
 */
export function UpdateBanner() {
  const { t } = useTranslation();
  const state = useSyncExternalStore(subscribeUpdate, updateState);
  const offline = useSyncExternalStore(subscribeUpdate, offlineUse);
  const [seen, setSeen] = useState(false);
  return (
    <>
      {offline.state === 'off' && !seen && (
        <aside className="offline-off muted" aria-label={t('update.offlineLabel')} data-testid="offline-off">
          {t('update.offlineOff', { why: tr(t, offline.why) })}{' '}
          <button type="button" className="link" onClick={() => setSeen(true)}>
            {t('update.ok')}
          </button>
        </aside>
      )}
      {state !== 'none' && (
        <div className="update-banner" role="status" data-testid="update-ready" data-state={state}>
          <span>{state === 'waiting' ? t('update.waiting') : t('update.activated')}</span>
          <button type="button" onClick={applyUpdate} data-testid="update-reload">
            {t('update.reload')}
          </button>
        </div>
      )}
    </>
  );
}
