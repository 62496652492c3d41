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
import {
  announceChange,
  cachedDatabase,
  formatBytes,
  isQuotaError,
  StorageError,
  storageUsage,
  type DBSchema,
  type StorageFailure,
} from '../shared/browserStorage';
import { carriesMessage, englishText, message, type Message } from './localMessage';
import type { MyDigit } from '../shared/myDigits';

interface DigitsDb extends DBSchema {
  digits: { key: number; value: Omit<MyDigit, 'id'> & { id?: number } };
}

const database = cachedDatabase<DigitsDb>('mnist-playground-digits', 1, (db) => {
  if (!db.objectStoreNames.contains('digits')) db.createObjectStore('digits', { keyPath: 'id', autoIncrement: true });
});

/** A storage failure of your digits, with a message to translate (its `message` is the English text). */
export class DigitStoreError extends StorageError {
  constructor(
    kind: StorageFailure,
    readonly text: Message,
  ) {
    super(kind, englishText(text));
  }
}

/** What failed (`what`), why, and that nothing stored before was lost (shared/browserStorage's storageFailure, as a message). */
async function failed(e: unknown, what: Message): Promise<StorageError> {
  if (carriesMessage(e) && e instanceof StorageError) return e;
  if (e instanceof StorageError && e.kind === 'unavailable') return new DigitStoreError('unavailable', message('mine.store.unavailable'));
  if (isQuotaError(e)) {
    const use = await storageUsage();
    const uses = use ? message('mine.store.uses', { size: formatBytes(use.usage) }) : '';
    return new DigitStoreError('full', message('mine.store.full', { what, uses }));
  }
  const detail = e instanceof Error && e.message ? message('mine.store.detail', { reason: e.message }) : '';
  return new DigitStoreError('failed', message('mine.store.failed', { what, detail }));
}

/** Every stored digit, oldest first. */
export async function listDigits(): Promise<MyDigit[]> {
  try {
    const all = await (await database()).getAll('digits');
    return all.map((d) => ({ ...d, id: d.id!, pixels: new Uint8Array(d.pixels) }));
  } catch (e) {
    throw await failed(e, message('mine.store.notRead'));
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
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); // i18n-ignore: a browser's own words, for a test
    }
    const settled = await Promise.allSettled([tx.done, ...writes]);
    const bad = settled.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (bad) throw tx.error ?? bad.reason;
    ids = settled.slice(1).map((r) => (r as PromiseFulfilledResult<number>).value);
  } catch (e) {
    throw await failed(e, message('mine.store.notKept', { count: digits.length }));
  }
  announceChange({ store: 'digits', change: 'saved' });
  return digits.map((d, i) => ({ ...d, id: ids[i]! }));
}

export async function deleteDigit(id: number): Promise<void> {
  try {
    await (await database()).delete('digits', id);
  } catch (e) {
    throw await failed(e, message('mine.store.notDeleted'));
  }
  announceChange({ store: 'digits', change: 'deleted', key: id });
}

/** Deletes every digit. */
export async function clearDigits(): Promise<void> {
  try {
    await (await database()).clear('digits');
  } catch (e) {
    throw await failed(e, message('mine.store.notCleared'));
  }
  announceChange({ store: 'digits', change: 'cleared' });
}
