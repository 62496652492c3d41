/**
 * The run history in IndexedDB (through `idb`), on the main thread: the worker never waits for
 * it, and it outlives a crashed worker. At most MAX_RUNS runs: storing one more deletes the oldest
 * unpinned ones in the same transaction (all or nothing). Every failure is a RunStoreError with a
 * sentence to show; a full disk (QuotaExceededError) says so and what to delete.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { formatBytes, isQuotaError, storageUsage } from '../shared/browserStorage';
import { message, MessageError, type Message } from './localMessage';
import { MAX_RUNS, runsToPrune, type RunRecord } from './runHistoryRecord';

const DB_NAME = 'mnist-playground-runs';
const DB_VERSION = 1;

interface RunsDb extends DBSchema {
  runs: { key: string; value: RunRecord };
  /** 'seeded': the shipped model's row was offered once (deleting it keeps it deleted). */
  meta: { key: string; value: boolean };
}

/** IndexedDB failed (full, missing, blocked), with a message to show. */
export class RunStoreError extends MessageError {
  override name = 'RunStoreError';
  constructor(
    text: Message,
    /** The disk quota was exceeded: deleting something may help. */
    readonly quota: boolean,
  ) {
    super(text);
  }
}

/** A RunStoreError for anything IndexedDB threw; `usage` (bytes this origin stores), when known, goes into a full disk's sentence. */
export function storeError(e: unknown, usage?: number): RunStoreError {
  if (e instanceof RunStoreError) return e;
  if (isQuotaError(e)) {
    const uses = usage === undefined ? '' : message('experiments.store.uses', { size: formatBytes(usage) });
    return new RunStoreError(message('experiments.store.full', { uses }), true);
  }
  const why = e instanceof Error ? e.message : String(e);
  return new RunStoreError(why ? message('experiments.store.failed', { why }) : message('experiments.store.failedUnknown'), false);
}

let dbPromise: Promise<IDBPDatabase<RunsDb>> | null = null;

function db(): Promise<IDBPDatabase<RunsDb>> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new RunStoreError(message('experiments.store.unavailable'), false));
  dbPromise ??= openDB<RunsDb>(DB_NAME, DB_VERSION, {
    upgrade(d) {
      if (!d.objectStoreNames.contains('runs')) d.createObjectStore('runs', { keyPath: 'id' });
      if (!d.objectStoreNames.contains('meta')) d.createObjectStore('meta');
    },
    // Another tab (a newer version of the page) wants to upgrade: let it.
    blocking() {
      void dbPromise?.then((d) => d.close());
      dbPromise = null;
    },
    terminated() {
      dbPromise = null;
    },
  }).catch((e: unknown) => {
    dbPromise = null;
    throw storeError(e);
  });
  return dbPromise;
}

/** A transaction's completion, awaited last: its rejection is handled even if an earlier step throws first. */
function settled(done: Promise<void>): Promise<void> {
  done.catch(() => {});
  return done;
}

async function guarded<T>(fn: (d: IDBPDatabase<RunsDb>) => Promise<T>): Promise<T> {
  try {
    return await fn(await db());
  } catch (e) {
    throw storeError(e, isQuotaError(e) ? (await storageUsage())?.usage : undefined);
  }
}

/** Every stored run (in no particular order: sort with `sortRuns`). */
export function listRuns(): Promise<RunRecord[]> {
  return guarded((d) => d.getAll('runs'));
}

/**
 * Stores a run (new or changed) and, when there are more than `max`, deletes the oldest unpinned
 * others in the same transaction. Resolves with the ids deleted to make room.
 */
export function putRun(run: RunRecord, max = MAX_RUNS): Promise<string[]> {
  return guarded(async (d) => {
    const tx = d.transaction('runs', 'readwrite');
    const done = settled(tx.done);
    const all = await tx.store.getAll();
    const pruned = runsToPrune([...all.filter((r) => r.id !== run.id), run], run.id, max);
    await Promise.all([tx.store.put(run), ...pruned.map((id) => tx.store.delete(id))]);
    await done;
    return pruned;
  });
}

/** Deletes a run (nothing happens if it is gone already). */
export function deleteRun(id: string): Promise<void> {
  return guarded((d) => d.delete('runs', id));
}

/**
 * On a first visit (never seeded before): stores the shipped model's run, so a newcomer sees a
 * finished run. Resolves true if it was stored now. A person who deletes it does not get it back.
 */
export function seedOnce(run: RunRecord): Promise<boolean> {
  return guarded(async (d) => {
    const tx = d.transaction(['runs', 'meta'], 'readwrite');
    const done = settled(tx.done);
    const seeded = await tx.objectStore('meta').get('seeded');
    if (!seeded) await Promise.all([tx.objectStore('runs').put(run), tx.objectStore('meta').put(true, 'seeded')]);
    await done;
    return !seeded;
  });
}

/** Tests: forget everything. */
export async function clearRunsForTests(): Promise<void> {
  await guarded(async (d) => {
    const tx = d.transaction(['runs', 'meta'], 'readwrite');
    await Promise.all([tx.objectStore('runs').clear(), tx.objectStore('meta').clear(), tx.done]);
  });
}
