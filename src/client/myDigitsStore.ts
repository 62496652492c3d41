/**
 * Your labelled digits in IndexedDB, on the main thread (through `idb` and
 * shared/browserStorage.ts). Why here and not in the worker: the gallery lists,
 * adds and deletes while the worker trains (its exclusive commands would make
 * every click wait for a run), the digits survive a worker crash or restart,
 * and the worker gets them with each request that needs them (a few hundred KB
 * at most).
 *
 * Every write is one transaction (a failed one stores nothing) and is announced
 * to every tab, which reads the list again; keys come from the database's own
 * counter, so two tabs labelling at once lose nothing.
 */
import { announceChange, cachedDatabase, storageFailure, type DBSchema, type StorageError } from '../shared/browserStorage';
import type { MyDigit } from '../shared/myDigits';

interface DigitsDb extends DBSchema {
  digits: { key: number; value: Omit<MyDigit, 'id'> & { id?: number } };
}

const database = cachedDatabase<DigitsDb>('mnist-playground-digits', 1, (db) => {
  if (!db.objectStoreNames.contains('digits')) db.createObjectStore('digits', { keyPath: 'id', autoIncrement: true });
});

const MAKE_ROOM = 'delete saved models or some of your digits';

async function failed(e: unknown, what: string): Promise<StorageError> {
  return storageFailure(e, what, MAKE_ROOM);
}

/** Every stored digit, oldest first. */
export async function listDigits(): Promise<MyDigit[]> {
  try {
    const all = await (await database()).getAll('digits');
    return all.map((d) => ({ ...d, id: d.id!, pixels: new Uint8Array(d.pixels) }));
  } catch (e) {
    throw await failed(e, 'Your digits could not be read');
  }
}

/** Test hook: the write fails as a full disk would. */
export interface DigitStoreFaults {
  quota?: boolean;
}

/** Stores new digits (in one transaction: all or none); resolves with them, ids assigned. */
export async function addDigits(digits: readonly Omit<MyDigit, 'id'>[], faults: DigitStoreFaults = {}): Promise<MyDigit[]> {
  let ids: number[];
  try {
    const tx = (await database()).transaction('digits', 'readwrite');
    const writes: Promise<number>[] = [];
    try {
      for (const d of digits) writes.push(tx.store.add({ label: d.label, pixels: d.pixels, createdAt: d.createdAt }));
    } catch (e) {
      // The browser aborted the transaction under us (a full disk, say): its error is the one to report.
      await Promise.allSettled([tx.done, ...writes]);
      throw tx.error ?? e;
    }
    if (faults.quota) {
      tx.abort();
      await Promise.allSettled([tx.done, ...writes]);
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    const settled = await Promise.allSettled([tx.done, ...writes]);
    const bad = settled.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (bad) throw tx.error ?? bad.reason;
    ids = settled.slice(1).map((r) => (r as PromiseFulfilledResult<number>).value);
  } catch (e) {
    throw await failed(e, digits.length === 1 ? 'The digit was not kept' : `The ${digits.length} digits were not kept`);
  }
  announceChange({ store: 'digits', change: 'saved' });
  return digits.map((d, i) => ({ ...d, id: ids[i]! }));
}

export async function deleteDigit(id: number): Promise<void> {
  try {
    await (await database()).delete('digits', id);
  } catch (e) {
    throw await failed(e, 'The digit was not deleted');
  }
  announceChange({ store: 'digits', change: 'deleted', key: id });
}

/** Deletes every digit. */
export async function clearDigits(): Promise<void> {
  try {
    await (await database()).clear('digits');
  } catch (e) {
    throw await failed(e, 'Your digits were not deleted');
  }
  announceChange({ store: 'digits', change: 'cleared' });
}
