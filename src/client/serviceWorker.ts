/**
 * The main thread's side of the service worker (src/sw/serviceWorker.ts):
 * registers it, reloads once into cross-origin isolation when the server did
 * not send COOP/COEP itself, and tells subscribers when a new build is waiting,
 * or that offline use is off because no service worker could register (a
 * private window, a browser setting): the page works without it.
 */
import { msg, type Msg } from '../i18n/message';

/** A new build is installed and waiting, or already took over from another tab. */
export type UpdateState = 'none' | 'waiting' | 'activated';

const RELOAD_FLAG = 'coi-reload';
let state: UpdateState = 'none';
let waiting: ServiceWorker | null = null;
let updating = false;
const listeners = new Set<() => void>();

/** Offline use: 'on' once a service worker registered, 'off' (with why) when none can, 'unknown' before. */
export type OfflineUse = { state: 'unknown' | 'on' } | { state: 'off'; why: Msg };
let offline: OfflineUse = { state: 'unknown' };

export function offlineUse(): OfflineUse {
  return offline;
}

function setOffline(next: OfflineUse): void {
  offline = next;
  for (const l of listeners) l();
}

function set(next: UpdateState, worker: ServiceWorker | null = waiting): void {
  state = next;
  waiting = worker;
  for (const l of listeners) l();
}

/** For useSyncExternalStore: subscribe to update changes. */
export function subscribeUpdate(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function updateState(): UpdateState {
  return state;
}

/** Activates the waiting build; the page reloads when it has taken over. */
export function applyUpdate(): void {
  updating = true;
  if (waiting) waiting.postMessage({ type: 'skip-waiting' });
  else location.reload();
}

/**
 * Reloads once when the page is not cross-origin isolated although a service
 * worker controls it (it adds the headers, so the reload is isolated). The
 * session flag stops a loop where isolation cannot work (old browser, private
 * mode, a server whose headers contradict ours).
 */
function reloadIntoIsolation(): boolean {
  if (window.crossOriginIsolated || !navigator.serviceWorker?.controller) return false;
  if (sessionStorage.getItem(RELOAD_FLAG)) return false;
  sessionStorage.setItem(RELOAD_FLAG, '1');
  location.reload();
  return true;
}

function watch(reg: ServiceWorkerRegistration): void {
  const track = (worker: ServiceWorker | null) => {
    if (!worker) return;
    const check = () => {
      // 'installed' with a controller present: an update waits for the user.
      if (worker.state === 'installed' && navigator.serviceWorker?.controller) set('waiting', worker);
    };
    check();
    worker.addEventListener('statechange', check);
  };
  track(reg.waiting);
  reg.addEventListener('updatefound', () => track(reg.installing));
}

/**
 * Registers `sw.js` (production builds only; the dev server has no service
 * worker). Failures are logged and reported as offline use being off, never
 * thrown: the page works without it.
 */
export async function registerServiceWorker(container: ServiceWorkerContainer | undefined = navigator.serviceWorker): Promise<void> {
  // Some private windows and settings hide service workers altogether.
  if (!container || typeof container.register !== 'function') {
    setOffline({ state: 'off', why: msg('update.noSw') });
    return;
  }
  if (window.crossOriginIsolated) sessionStorage.removeItem(RELOAD_FLAG);
  let hadController = !!container.controller;
  container.addEventListener('controllerchange', () => {
    if (updating) location.reload();
    else if (!reloadIntoIsolation() && hadController) set('activated', null);
    hadController = true;
  });
  let reg: ServiceWorkerRegistration | undefined;
  try {
    reg = await container.register(new URL('sw.js', document.baseURI), { scope: './' });
  } catch (e) {
    console.warn('service worker not registered:', e); // i18n-ignore: a log line
    setOffline({ state: 'off', why: msg('update.refusedSw', { message: e instanceof Error ? e.message : String(e) }) });
    return;
  }
  // A browser that blocks service workers may resolve with nothing at all.
  if (!reg) {
    setOffline({ state: 'off', why: msg('update.notRegistered') });
    return;
  }
  setOffline({ state: 'on' });
  watch(reg);
  // Active but not in control: a shift-reload bypassed it. A plain reload puts it back in charge.
  if (reg.active && !container.controller && !window.crossOriginIsolated && !sessionStorage.getItem(RELOAD_FLAG)) {
    sessionStorage.setItem(RELOAD_FLAG, '1');
    location.reload();
  }
}
