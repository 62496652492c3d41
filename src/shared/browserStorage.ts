/**
 * What every IndexedDB store of the page shares, on either thread (the worker's saved models
 * and backend-race verdicts, the main thread's digits, and any store added later, such as a
 * run history). A new store follows one pattern:
 *
 * ```ts
 * const db = cachedDatabase<MySchema>('mnist-playground-runs', 1, (db) => db.createObjectStore('runs', { keyPath: 'id' }));
 * export async function saveRun(run: Run): Promise<void> {
 *   try {
 *     await (await db()).put('runs', run);       // one idb call, or one transaction awaited with tx.done
 *   } catch (e) {
 *     throw await storageFailure(e, 'The run was not kept', 'delete saved models, digits or old runs');
 *   }
 *   announceChange({ store: 'runs', change: 'saved' }); // every tab of the origin hears it
 * }
 * // In the tab: onStoreChange('runs', () => reload the list); askPersistence() after the first save.
 * ```
 *
 * - Opening: `cachedDatabase` (the `idb` library) keeps one connection per database and lets it go
 *   when another tab needs a newer version, so an upgrade in one tab never hangs the others.
 * - Two tabs, one truth: a change is announced on one BroadcastChannel after its transaction
 *   commits; listeners (in every tab, this one included) read the store again.
 * - Failures: `storageFailure` turns a DOMException (QuotaExceededError above all) into a
 *   {@link StorageError} whose message says what happened and what to delete, with the page's
 *   usage from `navigator.storage.estimate()`: "Storage is full: delete saved models or digits
 *   (this page uses 38 MB)." A transaction that fails writes nothing, so nothing stored before is lost.
 *
 * No DOM and no tf: IndexedDB, BroadcastChannel and navigator.storage exist in workers and windows.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';

/** The stores that announce changes. */
export type StoreName = 'models' | 'digits' | 'runs';

/** One committed change: a store, what happened, and the key when one item changed. */
export interface StoreChange {
  store: StoreName;
  change: 'saved' | 'deleted' | 'cleared' | 'missing';
  key?: string | number;
}

/** The BroadcastChannel every store announces on. */
export const STORE_CHANNEL = 'mnist-playground-store';

/** Why storage failed: `full` (quota), `unavailable` (no IndexedDB, e.g. some private windows) or `failed` (anything else). */
export type StorageFailure = 'full' | 'unavailable' | 'failed';

/** A storage operation that did not happen, with a sentence for the person. Nothing was written. */
export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    readonly kind: StorageFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Announces a committed change to every tab of the origin (this one included). */
export function announceChange(change: StoreChange): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(STORE_CHANNEL);
  channel.postMessage(change);
  channel.close();
}

/** Calls `listener` for each change to `store` announced by any tab or worker of the origin; returns the unsubscribe. */
export function onStoreChange(store: StoreName | '*', listener: (change: StoreChange) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const channel = new BroadcastChannel(STORE_CHANNEL);
  channel.onmessage = (event: MessageEvent<unknown>) => {
    const change = event.data as Partial<StoreChange> | null;
    if (change && typeof change.store === 'string' && (store === '*' || change.store === store)) listener(change as StoreChange);
  };
  return () => channel.close();
}

/** Bytes used and available for this origin, or null where the browser does not say. */
export async function storageUsage(): Promise<{ usage: number; quota: number } | null> {
  try {
    const e = await globalThis.navigator?.storage?.estimate?.();
    return e && typeof e.usage === 'number' ? { usage: e.usage, quota: e.quota ?? 0 } : null;
  } catch {
    return null;
  }
}

/** "38 MB", "1.2 MB", "640 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 9.95e6) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

/** The DOMException name behind `e`: a request's or transaction's error, or `e` itself. */
function failureName(e: unknown): string {
  const inner = (e as { error?: unknown } | null)?.error;
  for (const x of [e, inner])
    if (x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string') {
      const name = (x as { name: string }).name;
      if (name !== 'Error' && name !== 'StorageError') return name;
    }
  return '';
}

/** True when `e` says the origin's storage quota is used up. */
export function isQuotaError(e: unknown): boolean {
  const name = failureName(e);
  const message = e instanceof Error ? e.message : '';
  return name === 'QuotaExceededError' || /quota/i.test(message);
}

/**
 * The sentence for a failed store operation. `what`: what did not happen ("The digit was not kept");
 * `toDelete`: what the person can delete to make room ("delete saved models or some of your digits").
 * @returns a StorageError to throw (kind `full` for a quota error).
 */
export async function storageFailure(e: unknown, what: string, toDelete: string): Promise<StorageError> {
  if (e instanceof StorageError) return e;
  if (isQuotaError(e)) {
    const use = await storageUsage();
    const uses = use ? ` (this page uses ${formatBytes(use.usage)})` : '';
    return new StorageError('full', `Storage is full: ${toDelete}${uses}. ${what}; nothing stored before was lost.`);
  }
  const detail = e instanceof Error && e.message ? ` (${e.message})` : '';
  return new StorageError('failed', `${what}: this browser's storage failed${detail}. Nothing stored before was lost; try again.`);
}

/**
 * Opens a database once and keeps the connection: `upgrade` creates its stores. The connection
 * closes itself when another tab asks for a newer version (and reopens on the next call).
 * @throws StorageError 'unavailable' where there is no IndexedDB.
 */
export function cachedDatabase<S extends DBSchema>(
  name: string,
  version: number,
  upgrade: (db: IDBPDatabase<S>, oldVersion: number) => void,
): () => Promise<IDBPDatabase<S>> {
  let open: Promise<IDBPDatabase<S>> | null = null;
  return () => {
    if (typeof indexedDB === 'undefined')
      return Promise.reject(
        new StorageError('unavailable', 'This browser offers no storage here (a private window?): nothing can be kept.'),
      );
    open ??= openDB<S>(name, version, {
      upgrade: (db, oldVersion) => upgrade(db, oldVersion),
      blocking: () => {
        void open?.then((db) => db.close());
        open = null;
      },
      terminated: () => {
        open = null;
      },
    }).catch((e: unknown) => {
      open = null;
      throw new StorageError('unavailable', `This browser's storage could not be opened (${e instanceof Error ? e.message : String(e)}).`);
    });
    return open;
  };
}

export type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames };

let persistAsked = false;

/**
 * Asks once per page that the browser keep this origin's storage (`navigator.storage.persist()`):
 * called when a person first saves something. Windows only (workers have no persist); never throws.
 * @returns whether storage is persistent now (null where the browser cannot say).
 */
export async function askPersistence(): Promise<boolean | null> {
  const storage = globalThis.navigator?.storage as (StorageManager & { persist?: () => Promise<boolean> }) | undefined;
  if (!storage?.persisted || !storage.persist) return null;
  try {
    if (await storage.persisted()) return true;
    if (persistAsked) return false;
    persistAsked = true;
    return await storage.persist();
  } catch {
    return null;
  }
}
