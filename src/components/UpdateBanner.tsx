import { useState, useSyncExternalStore } from 'react';
import { applyUpdate, offlineUse, subscribeUpdate, updateState } from '../client/serviceWorker';

/**
 * "A new version is ready" with a Reload button, when the service worker has a new build; and,
 * where no service worker can register, a line at the end of the page saying offline use is off.
 */
export function UpdateBanner() {
  const state = useSyncExternalStore(subscribeUpdate, updateState);
  const offline = useSyncExternalStore(subscribeUpdate, offlineUse);
  const [seen, setSeen] = useState(false);
  return (
    <>
      {offline.state === 'off' && !seen && (
        <aside className="offline-off muted" aria-label="Offline use" data-testid="offline-off">
          Offline use is off: {offline.why}, so the page cannot keep a copy of itself for offline use (a private window or a browser setting
          does this). Everything else works; the page and its data load from the network each visit.{' '}
          <button type="button" className="link" onClick={() => setSeen(true)}>
            OK
          </button>
        </aside>
      )}
      {state !== 'none' && (
        <div className="update-banner" role="status" data-testid="update-ready" data-state={state}>
          <span>
            {state === 'waiting'
              ? 'A new version of the playground is ready.'
              : 'A new version of the playground took over in another tab.'}
          </span>
          <button type="button" onClick={applyUpdate} data-testid="update-reload">
            Reload
          </button>
        </div>
      )}
    </>
  );
}
