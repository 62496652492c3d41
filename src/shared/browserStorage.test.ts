import { afterEach, describe, expect, it, vi } from 'vitest';
import { announceChange, formatBytes, isQuotaError, onStoreChange, storageFailure, StorageError, type StoreChange } from './browserStorage';

afterEach(() => vi.unstubAllGlobals());

describe('storage failures in words', () => {
  it('a full disk says so, with what to delete and how much the page uses; nothing else is blamed on the quota', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 38_400_000, quota: 40_000_000 }) } });
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(isQuotaError(quota)).toBe(true);
    // An aborted transaction carries the DOMException as its error.
    expect(isQuotaError({ name: 'AbortError', error: quota })).toBe(false);
    expect(isQuotaError({ error: quota })).toBe(true);
    const full = await storageFailure(quota, 'The digit was not kept', 'delete saved models or some of your digits');
    expect(full).toBeInstanceOf(StorageError);
    expect(full.kind).toBe('full');
    expect(full.message).toBe(
      'Storage is full: delete saved models or some of your digits (this page uses 38 MB). The digit was not kept; nothing stored before was lost.',
    );
    expect(full.message).not.toContain('The quota has been exceeded');
    const other = await storageFailure(new DOMException('disk I/O', 'UnknownError'), 'The digit was not kept', 'x');
    expect(other.kind).toBe('failed');
    expect(other.message).toMatch(/^The digit was not kept: this browser's storage failed \(disk I\/O\)\. Nothing stored before was lost/);
  });

  it('without an estimate the sentence still stands; bytes read as people read them', async () => {
    vi.stubGlobal('navigator', {});
    const e = await storageFailure(new DOMException('q', 'QuotaExceededError'), 'Not saved', 'delete saved models');
    expect(e.message).toBe('Storage is full: delete saved models. Not saved; nothing stored before was lost.');
    expect([640, 640_000, 1_234_567, 38_400_000].map(formatBytes)).toEqual(['1 KB', '640 KB', '1.2 MB', '38 MB']);
  });
});

describe('changes announced to every tab', () => {
  it('a listener hears the changes of its store (from another channel, as another tab would post them), not the others', async () => {
    const heard: StoreChange[] = [];
    const stop = onStoreChange('digits', (c) => heard.push(c));
    announceChange({ store: 'models', change: 'saved', key: 'm1' });
    announceChange({ store: 'digits', change: 'saved' });
    announceChange({ store: 'digits', change: 'deleted', key: 4 });
    await vi.waitFor(() => expect(heard).toHaveLength(2));
    expect(heard).toEqual([
      { store: 'digits', change: 'saved' },
      { store: 'digits', change: 'deleted', key: 4 },
    ]);
    stop();
    // A second listener hears the next change: by then the stopped one would have too.
    const later: StoreChange[] = [];
    const stopLater = onStoreChange('*', (c) => later.push(c));
    announceChange({ store: 'digits', change: 'cleared' });
    await vi.waitFor(() => expect(later).toHaveLength(1));
    expect(heard).toHaveLength(2);
    stopLater();
  });
});

describe('asking the browser to keep the storage (navigator.storage.persist)', () => {
  /** askPersistence of a fresh page (its once-per-page memory starts empty). */
  const freshPage = async () => {
    vi.resetModules();
    return (await import('./browserStorage')).askPersistence;
  };
  /** A navigator.storage that answers `persist` with `answer` and counts the asks. */
  const fakeStorage = (answer: () => Promise<boolean>) => {
    const storage = { asked: 0, kept: false, persisted: async () => storage.kept, persist: () => (storage.asked++, answer()) };
    vi.stubGlobal('navigator', { storage });
    return storage;
  };

  it('asks on the first save of the page and not on later ones', async () => {
    const askPersistence = await freshPage();
    const storage = fakeStorage(async () => (storage.kept = true));
    expect(await askPersistence()).toBe(true);
    expect(storage.asked).toBe(1);
    expect(await askPersistence()).toBe(true);
    expect(await askPersistence()).toBe(true);
    expect(storage.asked).toBe(1);
  });

  it('a refusal is kept: the page goes on and does not ask again', async () => {
    const askPersistence = await freshPage();
    const storage = fakeStorage(async () => false);
    expect(await askPersistence()).toBe(false);
    expect(await askPersistence()).toBe(false);
    expect(storage.asked).toBe(1);
  });

  it('a browser that already keeps the storage is not asked', async () => {
    const askPersistence = await freshPage();
    const storage = fakeStorage(async () => true);
    storage.kept = true;
    expect(await askPersistence()).toBe(true);
    expect(storage.asked).toBe(0);
  });

  it('no navigator.storage, no persist (a worker) or a persist that throws: nothing breaks, null for "cannot say"', async () => {
    let askPersistence = await freshPage();
    vi.stubGlobal('navigator', {});
    expect(await askPersistence()).toBeNull();
    vi.stubGlobal('navigator', undefined);
    expect(await askPersistence()).toBeNull();
    vi.stubGlobal('navigator', { storage: { persisted: async () => false } });
    expect(await askPersistence()).toBeNull();
    askPersistence = await freshPage();
    const storage = fakeStorage(() => Promise.reject(new DOMException('no', 'InvalidStateError')));
    expect(await askPersistence()).toBeNull();
    expect(storage.asked).toBe(1);
  });
});
