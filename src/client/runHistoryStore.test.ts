import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { runRecord } from './runHistoryFixtures';
import { clearRunsForTests, deleteRun, listRuns, putRun, seedOnce, storeError } from './runHistoryStore';

const ids = async () => (await listRuns()).map((r) => r.id).sort();

beforeEach(() => clearRunsForTests());

describe('the run history in IndexedDB', () => {
  it('stores, changes and deletes runs', async () => {
    await putRun(runRecord('1'));
    await putRun(runRecord('2'));
    expect(await ids()).toEqual(['1', '2']);
    await putRun(runRecord('1', { name: 'renamed', pinned: true }));
    expect((await listRuns()).find((r) => r.id === '1')).toMatchObject({ name: 'renamed', pinned: true, epochs: runRecord('1').epochs });
    await deleteRun('2');
    await deleteRun('2');
    expect(await ids()).toEqual(['1']);
  });

  it('keeps at most `max`: the oldest unpinned make room, in the same transaction', async () => {
    await putRun(runRecord('1', { pinned: true }), 3);
    await putRun(runRecord('2'), 3);
    await putRun(runRecord('3'), 3);
    expect(await putRun(runRecord('4'), 3)).toEqual(['2']);
    expect(await ids()).toEqual(['1', '3', '4']);
  });

  it('offers the shipped run once: deleted, it stays deleted', async () => {
    expect(await seedOnce(runRecord('9', { kind: 'shipped' }))).toBe(true);
    expect(await ids()).toEqual(['9']);
    await deleteRun('9');
    expect(await seedOnce(runRecord('9', { kind: 'shipped' }))).toBe(false);
    expect(await ids()).toEqual([]);
  });

  it('says what to do when storage is full, and names other failures', () => {
    const full = storeError(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    expect(full.quota).toBe(true);
    expect(full.message).toBe('Storage is full: delete old runs, saved models or your digits to make room, then retry.');
    const withUse = storeError(new DOMException('The quota has been exceeded.', 'QuotaExceededError'), 38e6);
    expect(withUse.message).toBe(
      'Storage is full: delete old runs, saved models or your digits to make room (this page uses 38 MB), then retry.',
    );
    const other = storeError(new DOMException('broken', 'UnknownError'));
    expect(other.quota).toBe(false);
    expect(other.message).toMatch(/IndexedDB: broken/);
  });
});
