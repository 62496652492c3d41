import { useSyncExternalStore } from 'react';
import { applyUpdate, subscribeUpdate, updateState } from '../client/serviceWorker';

/** "A new version is ready" with a Reload button, when the service worker has a new build. */
export function UpdateBanner() {
  const state = useSyncExternalStore(subscribeUpdate, updateState);
  if (state === 'none') return null;
  return (
    <div className="update-banner" role="status" data-testid="update-ready" data-state={state}>
      <span>
        {state === 'waiting' ? 'A new version of the playground is ready.' : 'A new version of the playground took over in another tab.'}
      </span>
      <button type="button" onClick={applyUpdate} data-testid="update-reload">
        Reload
      </button>
    </div>
  );
}
