/**
 * `auto`'s remembered race verdicts (backendRace.ts decides; this keeps them), one per
 * shape and browser, in IndexedDB in the worker through shared/browserStorage.ts. A cache:
 * a failure to read or write only means the race runs again.
 */
import { cachedDatabase, type DBSchema } from '../shared/browserStorage';
import type { RaceVerdict, VerdictCache } from './backendRace';

interface VerdictDb extends DBSchema {
  verdicts: { key: string; value: RaceVerdict };
}

const database = cachedDatabase<VerdictDb>('mnist-playground-backend-race', 1, (db) => {
  if (!db.objectStoreNames.contains('verdicts')) db.createObjectStore('verdicts');
});

/** Verdicts in IndexedDB (the worker has it; null where it does not). */
export function indexedDbCache(): VerdictCache | null {
  if (typeof indexedDB === 'undefined') return null;
  return {
    get: async (key) => (await (await database()).get('verdicts', key)) ?? null,
    set: async (key, verdict) => {
      await (await database()).put('verdicts', verdict, key);
    },
  };
}
