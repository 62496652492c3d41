/**
 * The main thread's side of the service worker (src/sw/serviceWorker.ts):
 * registers it, reloads once into cross-origin isolation when the server did
 * not send COOP/COEP itself, and tells subscribers when a new build is waiting.
 */

/** A new build is installed and waiting, or already took over from another tab. */
export type UpdateState = 'none' | 'waiting' | 'activated';

const RELOAD_FLAG = 'coi-reload';
let state: UpdateState = 'none';
let waiting: ServiceWorker | null = null;
let updating = false;
const listeners = new Set<() => void>();

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
  if (window.crossOriginIsolated || !navigator.serviceWorker.controller) return false;
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
      if (worker.state === 'installed' && navigator.serviceWorker.controller) set('waiting', worker);
    };
    check();
    worker.addEventListener('statechange', check);
  };
  track(reg.waiting);
  reg.addEventListener('updatefound', () => track(reg.installing));
}

/**
 * Registers `sw.js` (production builds only; the dev server has no service
 * worker). Failures are logged, never thrown: the page works without it.
 */
export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  if (window.crossOriginIsolated) sessionStorage.removeItem(RELOAD_FLAG);
  let hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (updating) location.reload();
    else if (!reloadIntoIsolation() && hadController) set('activated', null);
    hadController = true;
  });
  try {
    const reg = await navigator.serviceWorker.register(new URL('sw.js', document.baseURI), { scope: './' });
    watch(reg);
    // Active but not in control: a shift-reload bypassed it. A plain reload puts it back in charge.
    if (reg.active && !navigator.serviceWorker.controller && !window.crossOriginIsolated && !sessionStorage.getItem(RELOAD_FLAG)) {
      sessionStorage.setItem(RELOAD_FLAG, '1');
      location.reload();
    }
  } catch (e) {
    console.warn('service worker not registered:', e);
  }
}
