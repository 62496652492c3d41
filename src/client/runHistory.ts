/**
 * The run history as the page holds it: the stored runs plus any this tab could not store, kept
 * in step with the trainer (a run that ends is recorded), with the other tabs (a BroadcastChannel
 * says "changed", the others read the store again) and with the saved models (a save of a run's
 * model is noted on the run). Nothing is ever lost to a failing store: a run that cannot be
 * written stays in memory, marked unsaved, with a sentence and a Retry. A run stored asks the
 * browser to keep the page's storage (once per page, shared/browserStorage's askPersistence), as a
 * saved model or a labelled digit does; the shipped run stored on a first visit does not (nobody
 * saved anything yet). No React here (`useRunHistory` wraps it), so it is tested with a fake store.
 */
import { askPersistence } from '../shared/browserStorage';
import type { SavedModelInfo } from '../shared/protocol';
import type { TrainConfig } from '../shared/trainConfig';
import { errorMessage, message, MessageError, type Message } from './localMessage';
import { MAX_PINNED, sortRuns, type RunRecord } from './runHistoryRecord';
import { initialWatch, watchRuns, type WatchState } from './runHistoryWatch';
import type { TrainerState } from './trainerState';

/** Where runs are kept (runHistoryStore.ts; a fake in tests). Every method rejects with an Error whose message can be shown. */
export interface RunStore {
  list(): Promise<RunRecord[]>;
  /** Resolves with the ids deleted to make room. */
  put(run: RunRecord): Promise<string[]>;
  remove(id: string): Promise<void>;
  /** Stores the run only on a first visit; resolves whether it did. */
  seedOnce(run: RunRecord): Promise<boolean>;
}

/** The part of a BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  close(): void;
}

export interface RunHistorySnapshot {
  /** Newest first. */
  runs: RunRecord[];
  /** False until the store has been read once. */
  loaded: boolean;
  /** Runs this tab holds that are not stored (storage failed): Retry stores them. */
  unsaved: ReadonlySet<string>;
  /** What went wrong with storage, as a message to translate; null when all is well. */
  problem: Message | null;
  /** The last run deleted (Undo puts it back). */
  deleted: RunRecord | null;
  /** Run id → the model version it trained, for runs of this page's session. */
  versions: ReadonlyMap<string, number>;
}

const CHANGED = { type: 'runs-changed' } as const;

export class RunHistory {
  private state: RunHistorySnapshot = { runs: [], loaded: false, unsaved: new Set(), problem: null, deleted: null, versions: new Map() };
  private readonly listeners = new Set<() => void>();
  private watch: WatchState = initialWatch;
  private disposed = false;

  constructor(
    private readonly store: RunStore,
    private readonly channel: ChannelLike | null,
    private readonly shipped: () => Promise<RunRecord>,
    private readonly newId: () => string = () => crypto.randomUUID(),
    /** Called after each run stored (askPersistence asks the browser only the first time in a page). */
    private readonly stored: () => void = () => void askPersistence(),
  ) {
    if (channel) channel.onmessage = () => void this.reload();
  }

  get snapshot(): RunHistorySnapshot {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<RunHistorySnapshot>): void {
    if (this.disposed) return;
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private fail(e: unknown): void {
    this.set({ problem: errorMessage(e) });
  }

  /** The stored runs, and those this tab holds unsaved, newest first. */
  private withUnsaved(stored: RunRecord[]): RunRecord[] {
    const storedIds = new Set(stored.map((r) => r.id));
    const held = this.state.runs.filter((r) => this.state.unsaved.has(r.id) && !storedIds.has(r.id));
    return sortRuns([...stored, ...held], 'newest');
  }

  /** First load: the shipped run on a first visit, then the stored runs. */
  async start(): Promise<void> {
    let shipped: RunRecord | null = null;
    try {
      shipped = await this.shipped();
      if (await this.store.seedOnce(shipped)) this.channel?.postMessage(CHANGED);
    } catch (e) {
      // No storage (private mode, full disk): the newcomer still sees what a finished run looks like.
      if (shipped) {
        this.set({ unsaved: new Set(this.state.unsaved).add(shipped.id) });
        this.replace(shipped);
      }
      this.fail(e);
    }
    await this.reload();
  }

  /** Reads the store again (another tab changed it, or after a failure). */
  async reload(): Promise<void> {
    try {
      this.set({ runs: this.withUnsaved(await this.store.list()), loaded: true });
    } catch (e) {
      this.set({ loaded: true });
      this.fail(e);
    }
  }

  private async save(run: RunRecord): Promise<boolean> {
    try {
      const pruned = await this.store.put(run);
      const unsaved = new Set(this.state.unsaved);
      unsaved.delete(run.id);
      this.set({ unsaved, runs: this.state.runs.filter((r) => !pruned.includes(r.id)) });
      this.channel?.postMessage(CHANGED);
      this.stored();
      return true;
    } catch (e) {
      this.set({ unsaved: new Set(this.state.unsaved).add(run.id) });
      this.fail(e);
      return false;
    }
  }

  private replace(run: RunRecord): void {
    const runs = this.state.runs.some((r) => r.id === run.id)
      ? this.state.runs.map((r) => (r.id === run.id ? run : r))
      : sortRuns([...this.state.runs, run], 'newest');
    this.set({ runs });
  }

  /** One look at the trainer: a run that just ended is recorded (shown at once, then stored). */
  observe(trainer: TrainerState, formConfig: TrainConfig, now = Date.now()): void {
    const { watch, finished } = watchRuns(this.watch, trainer, formConfig, now);
    this.watch = watch;
    if (!finished) return;
    const { modelVersion, ...rest } = finished;
    const run: RunRecord = { id: this.newId(), ...rest };
    this.set({ versions: new Map(this.state.versions).set(run.id, modelVersion) });
    this.replace(run);
    void this.save(run);
  }

  /**
   * Notes a save of a run's model: the newest run of `modelVersion` (this session) gets the saved model
   * saved after it ended that no other run has.
   */
  linkSaved(saved: readonly SavedModelInfo[], modelVersion: number): void {
    const run = this.state.runs.find((r) => this.state.versions.get(r.id) === modelVersion);
    if (!run || run.savedModel) return;
    const taken = new Set(this.state.runs.map((r) => r.savedModel?.id));
    const model = saved.filter((m) => m.savedAt >= run.endedAt && !taken.has(m.id)).sort((a, b) => b.savedAt.localeCompare(a.savedAt))[0];
    if (!model) return;
    const next = { ...run, savedModel: { id: model.id, name: model.name } };
    this.replace(next);
    void this.save(next);
  }

  /** Renames a run; an empty name brings back the automatic one. */
  rename(id: string, name: string): void {
    const run = this.state.runs.find((r) => r.id === id);
    if (!run) return;
    const next = { ...run, name: name.trim().slice(0, 80) || null };
    this.replace(next);
    void this.save(next);
  }

  /** Why a run cannot be pinned now, or null. */
  pinReason(): Message | null {
    return this.state.runs.filter((r) => r.pinned).length >= MAX_PINNED ? message('experiments.pinLimit', { n: MAX_PINNED }) : null;
  }

  setPinned(id: string, pinned: boolean): void {
    const run = this.state.runs.find((r) => r.id === id);
    if (!run || run.pinned === pinned) return;
    const refused = pinned ? this.pinReason() : null;
    if (refused) return this.fail(new MessageError(refused));
    const next = { ...run, pinned };
    this.replace(next);
    void this.save(next);
  }

  /** Deletes a run; Undo puts it back. A failed delete leaves it listed, with the reason. */
  async remove(id: string): Promise<void> {
    const run = this.state.runs.find((r) => r.id === id);
    if (!run) return;
    this.set({ runs: this.state.runs.filter((r) => r.id !== id), deleted: run });
    if (this.state.unsaved.has(id)) {
      const unsaved = new Set(this.state.unsaved);
      unsaved.delete(id);
      this.set({ unsaved });
      return;
    }
    try {
      await this.store.remove(id);
      this.channel?.postMessage(CHANGED);
    } catch (e) {
      this.replace(run);
      this.set({ deleted: null });
      this.fail(e);
    }
  }

  /** Puts the last deleted run back. */
  async undo(): Promise<void> {
    const run = this.state.deleted;
    if (!run) return;
    this.set({ deleted: null });
    this.replace(run);
    await this.save(run);
  }

  /** Forgets the undo offer. */
  dismissUndo(): void {
    this.set({ deleted: null });
  }

  /** Tries to store every unsaved run again; the problem goes once all are stored. */
  async retry(): Promise<void> {
    this.set({ problem: null });
    const held = this.state.runs.filter((r) => this.state.unsaved.has(r.id));
    for (const run of held) if (!(await this.save(run))) return;
    await this.reload();
  }

  dismissProblem(): void {
    this.set({ problem: null });
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    if (this.channel) {
      this.channel.onmessage = null;
      this.channel.close();
    }
  }
}
