import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../shared/trainConfig';
import type { RunRecord } from './runHistoryRecord';
import { clearRunsForTests, deleteRun, listRuns, putRun, seedOnce, storeError } from './runHistoryStore';

function run(id: string, over: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    name: null,
    pinned: false,
    kind: 'train',
    state: 'done',
    config: { ...DEFAULT_CONFIG, hiddenUnits: [64, 64] },
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: `2026-01-01T00:00:${id.padStart(2, '0')}.000Z`,
    elapsedMs: 1000,
    samplesPerSec: 1,
    backend: 'wasm',
    epochsRun: 1,
    epochOffset: 0,
    epochs: [{ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.6, valAccuracy: 0.75 }],
    steps: [],
    test: { loss: 0.5, accuracy: 0.8, perClass: new Array<number>(10).fill(0.8) },
    note: null,
    savedModel: null,
    ...over,
  };
}

const ids = async () => (await listRuns()).map((r) => r.id).sort();

beforeEach(() => clearRunsForTests());

describe('the run history in IndexedDB', () => {
  it('stores, changes and deletes runs', async () => {
    await putRun(run('1'));
    await putRun(run('2'));
    expect(await ids()).toEqual(['1', '2']);
    await putRun(run('1', { name: 'renamed', pinned: true }));
    expect((await listRuns()).find((r) => r.id === '1')).toMatchObject({ name: 'renamed', pinned: true, epochs: run('1').epochs });
    await deleteRun('2');
    await deleteRun('2');
    expect(await ids()).toEqual(['1']);
  });

  it('keeps at most `max`: the oldest unpinned make room, in the same transaction', async () => {
    await putRun(run('1', { pinned: true }), 3);
    await putRun(run('2'), 3);
    await putRun(run('3'), 3);
    expect(await putRun(run('4'), 3)).toEqual(['2']);
    expect(await ids()).toEqual(['1', '3', '4']);
  });

  it('offers the shipped run once: deleted, it stays deleted', async () => {
    expect(await seedOnce(run('9', { kind: 'shipped' }))).toBe(true);
    expect(await ids()).toEqual(['9']);
    await deleteRun('9');
    expect(await seedOnce(run('9', { kind: 'shipped' }))).toBe(false);
    expect(await ids()).toEqual([]);
  });

  it('says what to do when storage is full, and names other failures', () => {
    const full = storeError(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    expect(full.quota).toBe(true);
    expect(full.message).toMatch(/^Storage is full: delete old runs/);
    const other = storeError(new DOMException('broken', 'UnknownError'));
    expect(other.quota).toBe(false);
    expect(other.message).toMatch(/IndexedDB: broken/);
  });
});
