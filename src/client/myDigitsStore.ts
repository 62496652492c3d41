/**
 * Your labelled digits in IndexedDB, on the main thread. Why here and not in
 * the worker: the gallery lists, adds and deletes while the worker trains (its
 * exclusive commands would make every click wait for a run), the digits
 * survive a worker crash or restart, and the worker gets them with each
 * request that needs them (a few hundred KB at most).
 */
import type { MyDigit } from '../shared/myDigits';

const DB_NAME = 'mnist-playground-digits';
const DB_VERSION = 1;
const STORE = 'digits';

/** IndexedDB failed or is missing (private mode), with a sentence to show. */
export class DigitStoreError extends Error {
  override name = 'DigitStoreError';
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new DigitStoreError('This browser offers no IndexedDB here (private mode?): your digits cannot be kept.'));
      return;
    }
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new DigitStoreError(`IndexedDB could not be opened: ${req.error?.message ?? 'unknown error'}`));
  });
}

/** Runs `fn` in one transaction; resolves with its result when the transaction commits (all or nothing). */
async function inTransaction<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => () => T): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      let result: () => T = () => undefined as T;
      tx.oncomplete = () => resolve(result());
      tx.onerror = () => reject(new DigitStoreError(`IndexedDB: ${tx.error?.message ?? 'transaction failed'}`));
      tx.onabort = () => reject(new DigitStoreError(`IndexedDB: ${tx.error?.message ?? 'transaction aborted (storage full?)'}`));
      result = fn(tx.objectStore(STORE));
    });
  } finally {
    db.close();
  }
}

/** Every stored digit, oldest first. */
export function listDigits(): Promise<MyDigit[]> {
  return inTransaction('readonly', (store) => {
    const req = store.getAll();
    return () => (req.result as MyDigit[]).map((d) => ({ ...d, pixels: new Uint8Array(d.pixels) }));
  });
}

/** Stores new digits (in one transaction); resolves with them, ids assigned. */
export function addDigits(digits: readonly Omit<MyDigit, 'id'>[]): Promise<MyDigit[]> {
  return inTransaction('readwrite', (store) => {
    const reqs = digits.map((d) => store.add({ label: d.label, pixels: d.pixels, createdAt: d.createdAt }));
    return () => digits.map((d, i) => ({ ...d, id: reqs[i]!.result as number }));
  });
}

export function deleteDigit(id: number): Promise<void> {
  return inTransaction('readwrite', (store) => {
    store.delete(id);
    return () => undefined;
  });
}

/** Deletes every digit. */
export function clearDigits(): Promise<void> {
  return inTransaction('readwrite', (store) => {
    store.clear();
    return () => undefined;
  });
}
