import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunHistory, type ChannelLike, type RunStore } from './runHistory';
import { FORM, ready, running, runRecord, settled, type Session } from './runHistoryFixtures';
import type { RunRecord } from './runHistoryRecord';
import { englishText } from './localMessage';

/** The history's problem in English (it holds a message to translate). */
const problemText = (h: RunHistory) => (h.snapshot.problem ? englishText(h.snapshot.problem) : null);

/** An in-memory store that can be made to fail like a full disk. */
class FakeStore implements RunStore {
  runs = new Map<string, RunRecord>();
  seeded = false;
  full = false;
  private check() {
    if (this.full) throw new Error('Storage is full: delete old runs, saved models or your digits to make room, then retry.');
  }
  async list() {
    return [...this.runs.values()].map((r) => structuredClone(r));
  }
  async put(run: RunRecord) {
    this.check();
    this.runs.set(run.id, structuredClone(run));
    return [];
  }
  async remove(id: string) {
    this.check();
    this.runs.delete(id);
  }
  async seedOnce(run: RunRecord) {
    this.check();
    if (this.seeded) return false;
    this.seeded = true;
    this.runs.set(run.id, run);
    return true;
  }
}

/** Two tabs' channels joined (what BroadcastChannel does across tabs), delivering at once. */
function channelPair(): [ChannelLike, ChannelLike] {
  const a: ChannelLike = { onmessage: null, postMessage: (m) => b.onmessage?.({ data: m } as MessageEvent), close() {} };
  const b: ChannelLike = { onmessage: null, postMessage: (m) => a.onmessage?.({ data: m } as MessageEvent), close() {} };
  return [a, b];
}

const shipped = async (): Promise<RunRecord> =>
  runRecord('shipped-reference', {
    kind: 'shipped',
    endedAt: '2026-01-01T00:00:00.000Z',
    epochsRun: 10,
    test: { loss: 0.196, accuracy: 0.9669, perClass: new Array<number>(10).fill(0.97) },
  });

let ids = 0;
const newId = () => `run-${++ids}`;
const flush = () => new Promise((r) => setTimeout(r, 0));

/** A tab: its history, fed by a trainer session; `stored` counts the runs it stored (each asks to keep the storage). */
function tab(store: FakeStore, channel: ChannelLike | null = null, stored = () => {}): { history: RunHistory; session: Session } {
  const history = new RunHistory(store, channel, shipped, newId, stored);
  const session = ready();
  session.onState = (s, now) => history.observe(s, FORM, now);
  return { history, session };
}

afterEach(() => vi.unstubAllGlobals());

describe('the run history', () => {
  it('shows the shipped run on a first visit, records a finished run and stores it', async () => {
    const store = new FakeStore();
    const { history, session } = tab(store);
    await history.start();
    expect(history.snapshot.runs.map((r) => r.kind)).toEqual(['shipped']);
    running(session, 2).do(settled(2, 'completed'));
    await flush();
    expect(history.snapshot.runs.map((r) => r.kind)).toEqual(['train', 'shipped']);
    expect(store.runs.size).toBe(2);
    expect(history.snapshot.versions.get(history.snapshot.runs[0]!.id)).toBe(2);
  });

  it('keeps a run it cannot store (full disk) in this tab with the reason, and stores it on Retry', async () => {
    const store = new FakeStore();
    const { history, session } = tab(store);
    await history.start();
    store.full = true;
    running(session, 2).do(settled(2, 'completed'));
    await flush();
    const run = history.snapshot.runs[0]!;
    expect(run.kind).toBe('train');
    expect(history.snapshot.unsaved.has(run.id)).toBe(true);
    expect(problemText(history)).toMatch(/^Storage is full/);
    await history.reload(); // another tab's news must not drop it
    expect(history.snapshot.runs.map((r) => r.id)).toContain(run.id);
    await history.retry();
    expect(problemText(history)).toMatch(/^Storage is full/);
    store.full = false;
    await history.retry();
    expect(history.snapshot.problem).toBeNull();
    expect(history.snapshot.unsaved.size).toBe(0);
    expect(store.runs.has(run.id)).toBe(true);
  });

  it('asks the browser to keep the storage once a run is stored, not for the shipped run nor a run that was not stored', async () => {
    const store = new FakeStore();
    let asks = 0;
    const { history, session } = tab(store, null, () => asks++);
    await history.start();
    expect(store.seeded).toBe(true);
    expect(asks).toBe(0); // the first visit's shipped run: nobody saved anything yet
    store.full = true;
    running(session, 2).do(settled(2, 'completed'));
    await flush();
    expect(asks).toBe(0);
    store.full = false;
    await history.retry();
    expect(asks).toBe(1);
  });

  it('asks through navigator.storage.persist, once in the page however many runs are stored', async () => {
    const storage = { asked: 0, persisted: async () => false, persist: async () => (storage.asked++, false) };
    vi.stubGlobal('navigator', { storage });
    vi.resetModules(); // a fresh page: askPersistence has not asked yet
    const { RunHistory: FreshHistory } = await import('./runHistory');
    const history = new FreshHistory(new FakeStore(), null, shipped, newId);
    const session = ready();
    session.onState = (s, now) => history.observe(s, FORM, now);
    await history.start();
    expect(storage.asked).toBe(0);
    running(session, 2).do(settled(2, 'completed'));
    await vi.waitFor(() => expect(storage.asked).toBe(1));
    running(session, 3).do(settled(3, 'completed'));
    await flush();
    history.rename(history.snapshot.runs[0]!.id, 'mine');
    await flush();
    expect(history.snapshot.runs.filter((r) => r.kind === 'train')).toHaveLength(2);
    expect(storage.asked).toBe(1);
  });

  it('deletes with undo, renames and pins, and tells the other tab', async () => {
    const store = new FakeStore();
    const [ca, cb] = channelPair();
    const a = tab(store, ca);
    const b = tab(store, cb);
    await a.history.start();
    await b.history.start();
    running(a.session, 2).do(settled(2, 'completed'));
    await flush();
    await flush();
    const id = a.history.snapshot.runs[0]!.id;
    expect(b.history.snapshot.runs.map((r) => r.id)).toContain(id);

    a.history.rename(id, '  my best  ');
    a.history.setPinned(id, true);
    await flush();
    await flush();
    expect(b.history.snapshot.runs.find((r) => r.id === id)).toMatchObject({ name: 'my best', pinned: true });
    a.history.rename(id, '');
    expect(a.history.snapshot.runs.find((r) => r.id === id)!.name).toBeNull();

    await a.history.remove(id);
    await flush();
    expect(a.history.snapshot.runs.map((r) => r.id)).not.toContain(id);
    expect(b.history.snapshot.runs.map((r) => r.id)).not.toContain(id);
    expect(a.history.snapshot.deleted?.id).toBe(id);
    await a.history.undo();
    await flush();
    expect(a.history.snapshot.runs.map((r) => r.id)).toContain(id);
    expect(b.history.snapshot.runs.map((r) => r.id)).toContain(id);
    expect(store.runs.has(id)).toBe(true);
  });

  it('shows the shipped run even when nothing can be stored (no IndexedDB, full disk)', async () => {
    const store = new FakeStore();
    store.full = true;
    const { history } = tab(store);
    await history.start();
    expect(history.snapshot.runs.map((r) => r.id)).toEqual(['shipped-reference']);
    expect(history.snapshot.unsaved.has('shipped-reference')).toBe(true);
    expect(problemText(history)).toMatch(/Storage is full/);
  });

  it('keeps a run listed when its delete fails, with the reason', async () => {
    const store = new FakeStore();
    const { history } = tab(store);
    await history.start();
    store.full = true;
    await history.remove('shipped-reference');
    expect(history.snapshot.runs.map((r) => r.id)).toEqual(['shipped-reference']);
    expect(problemText(history)).toMatch(/Storage is full/);
  });

  it('notes a save of the run’s model, not of an older one', async () => {
    const store = new FakeStore();
    const { history, session } = tab(store);
    await history.start();
    running(session, 2).do(settled(2, 'completed'));
    await flush();
    const run = history.snapshot.runs[0]!;
    const older = { id: 'm0', name: 'old', savedAt: '2000-01-01T00:00:00.000Z', config: null, testAccuracy: null };
    history.linkSaved([older], 2);
    expect(history.snapshot.runs[0]!.savedModel).toBeNull();
    history.linkSaved([older, { ...older, id: 'm1', name: 'sgd run', savedAt: '2999-01-01T00:00:00.000Z' }], 3);
    expect(history.snapshot.runs[0]!.savedModel).toBeNull(); // another model version is current
    history.linkSaved([older, { ...older, id: 'm1', name: 'sgd run', savedAt: '2999-01-01T00:00:00.000Z' }], 2);
    expect(history.snapshot.runs.find((r) => r.id === run.id)!.savedModel).toEqual({ id: 'm1', name: 'sgd run' });
  });
});
