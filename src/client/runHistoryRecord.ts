/**
 * One kept training run, and the pure arithmetic of the run history: its automatic name (what
 * differs from the reference recipe), the decimated per-step curve, per-class accuracy, the
 * settings that differ between runs, sorting and which runs make room for a new one.
 */
import type { TFunction } from 'i18next';
import { formatInteger } from '../i18n/format';
import type { MessageKey } from './localMessage';
import { NUM_CLASSES } from '../shared/constants';
import type { BackendName } from '../shared/protocol';
import { DEFAULT_CONFIG, formatParam, PARAMS, type ConfigKey, type TrainConfig } from '../shared/trainConfig';

/** How a run ended, as the history shows it (`data-state` of a `run-item`). */
export type RunState = 'done' | 'early-stopped' | 'stopped' | 'failed';

/** What kind of run: a fresh one, one that continued earlier weights, a fine-tune on your digits, or the shipped model's training. */
export type RunKind = 'train' | 'continued' | 'fine-tune' | 'shipped';

/** Validation and training figures after one epoch (x = the epoch, counted from the model's first run). */
export interface RunEpoch {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number;
  valAccuracy: number;
}

/** One point of the decimated per-step curve: smoothed training loss and accuracy at a fractional epoch. */
export interface RunStep {
  epoch: number;
  loss: number;
  accuracy: number;
}

/** The test-set result at the end of a run. */
export interface RunTest {
  loss: number;
  /** 0..1 */
  accuracy: number;
  /** [10] share of each digit's test images read right, 0..1 (NaN-free: a digit without images is 0). */
  perClass: number[];
}

/** Everything kept of one run (IndexedDB, `runHistoryStore.ts`). */
export interface RunRecord {
  /** Random key. */
  id: string;
  /** The person's name for it; null: the automatic one (`autoName`). */
  name: string | null;
  pinned: boolean;
  kind: RunKind;
  state: RunState;
  /** The hyperparameters; null when unknown. */
  config: TrainConfig | null;
  /** ISO 8601 dates. */
  startedAt: string;
  endedAt: string;
  /** Wall time, ms, pauses excluded (the run's own figure when it ended normally). */
  elapsedMs: number | null;
  /** Training throughput at the end, samples/s. */
  samplesPerSec: number | null;
  backend: BackendName | null;
  /** Epochs run, fractional; null when unknown. */
  epochsRun: number | null;
  /** Epochs of earlier runs this one continued (its curves start there). */
  epochOffset: number;
  epochs: RunEpoch[];
  /** At most MAX_STEP_POINTS. */
  steps: RunStep[];
  test: RunTest | null;
  /** Why a failed run failed (or a note, e.g. "cancelled by Reset"). */
  note: string | null;
  /** The saved model made from this run, when one was saved. */
  savedModel: { id: string; name: string } | null;
}

/** Notes the page writes itself, stored as message keys (a failed run's note is its error's own words, kept as they are). */
export const RUN_NOTES = {
  cancelled: 'experiments.note.cancelled',
  reset: 'experiments.note.reset',
} as const satisfies Record<string, MessageKey>;

/** Runs kept; beyond it, the oldest unpinned run makes room. */
export const MAX_RUNS = 100;
/** Pinned runs allowed (so a new run always has room). */
export const MAX_PINNED = 50;
/** Points of the per-step curve kept per run. */
export const MAX_STEP_POINTS = 200;

// ------------------------------------------------------------------ names

const fmtNumber = (n: number) => String(n);

/** How each setting reads in a name (in the language of `t`), in the order names list them. */
const NAME_PARTS: readonly [ConfigKey, (c: TrainConfig, t: TFunction) => string][] = [
  ['optimizer', (c) => c.optimizer],
  ['learningRate', (c, t) => t('experiments.name.learningRate', { value: fmtNumber(c.learningRate) })],
  ['hiddenUnits', (c, t) => (c.hiddenUnits.length ? c.hiddenUnits.join('-') : t('experiments.name.noHidden'))],
  ['activation', (c) => c.activation],
  ['dropout', (c, t) => t('experiments.name.dropout', { value: fmtNumber(c.dropout) })],
  ['normalization', (c, t) => (c.normalization === 'unit' ? t('experiments.name.unitPixels') : t('experiments.name.standardised'))],
  ['batchSize', (c, t) => t('experiments.name.batch', { value: c.batchSize })],
  ['epochs', (c, t) => t('experiments.name.epochs', { count: c.epochs })],
  ['trainSize', (c, t) => t('experiments.name.images', { count: c.trainSize, value: formatInteger(c.trainSize) })],
  ['patience', (c, t) => t('experiments.name.patience', { value: c.patience })],
  ['augment', (c, t) => t('experiments.name.augment', { value: fmtNumber(c.augment) })],
  ['seed', (c, t) => t('experiments.name.seed', { value: c.seed })],
];
/** Parts shown before "…". */
const MAX_NAME_PARTS = 4;

const same = (key: ConfigKey, a: TrainConfig, b: Readonly<TrainConfig>) => formatParam(key, a[key]) === formatParam(key, b[key]);

/**
 * A short name saying what differs from the reference recipe: "sgd, lr 0.01", "128-64, dropout 0.2",
 * "reference recipe"; fine-tunes and continued runs say so. The backend is left out (it changes the speed only).
 * Written in the language of `t` (the page's), so it is made when shown, never stored.
 */
export function autoName(kind: RunKind, config: TrainConfig | null, t: TFunction): string {
  if (kind === 'shipped') return t('experiments.name.shipped');
  if (kind === 'fine-tune') return t('experiments.name.fineTune');
  if (!config) return kind === 'continued' ? t('experiments.name.continuedRun') : t('experiments.name.run');
  const parts = NAME_PARTS.filter(([key]) => !same(key, config, DEFAULT_CONFIG)).map(([, fmt]) => fmt(config, t));
  const shown = parts.length > MAX_NAME_PARTS ? [...parts.slice(0, MAX_NAME_PARTS), '…'] : parts;
  const base = shown.length ? shown.join(t('experiments.name.separator')) : t('experiments.name.reference');
  return kind === 'continued' ? t('experiments.name.continued', { base }) : base;
}

/** The name shown: the person's, or the automatic one. */
export function displayName(r: Pick<RunRecord, 'name' | 'kind' | 'config'>, t: TFunction): string {
  return r.name ?? autoName(r.kind, r.config, t);
}

/**
 * Names for a list shown together, made unique: a second "sgd, lr 0.01" becomes "sgd, lr 0.01 (2)"
 * (numbered oldest first), so a legend can tell them apart.
 */
export function uniqueNames(runs: readonly RunRecord[], t: TFunction): Map<string, string> {
  const byName = new Map<string, RunRecord[]>();
  for (const r of runs) byName.set(displayName(r, t), [...(byName.get(displayName(r, t)) ?? []), r]);
  const out = new Map<string, string>();
  for (const [name, group] of byName) {
    const ordered = [...group].sort((a, b) => a.endedAt.localeCompare(b.endedAt));
    ordered.forEach((r, i) => out.set(r.id, group.length > 1 && i > 0 ? `${name} (${i + 1})` : name));
  }
  return out;
}

// ------------------------------------------------------------------ curves and results

/**
 * At most `max` points, each the mean of a run of neighbours (the last point kept as it is),
 * so a long run's curve keeps its shape in a few hundred points.
 */
export function decimateSteps(points: readonly RunStep[], max = MAX_STEP_POINTS): RunStep[] {
  if (points.length <= max) return points.map((p) => ({ ...p }));
  const out: RunStep[] = [];
  const bucket = (points.length - 1) / (max - 1);
  for (let k = 0; k < max - 1; k++) {
    const from = Math.floor(k * bucket);
    const to = Math.max(from + 1, Math.floor((k + 1) * bucket));
    let loss = 0;
    let accuracy = 0;
    for (let i = from; i < to; i++) {
      loss += points[i]!.loss;
      accuracy += points[i]!.accuracy;
    }
    out.push({ epoch: points[to - 1]!.epoch, loss: loss / (to - from), accuracy: accuracy / (to - from) });
  }
  out.push({ ...points[points.length - 1]! });
  return out;
}

/** Share of each digit's test images read right, from the row-major 10x10 confusion counts. */
export function perClassAccuracy(confusion: readonly number[]): number[] {
  return Array.from({ length: NUM_CLASSES }, (_, d) => {
    let row = 0;
    for (let p = 0; p < NUM_CLASSES; p++) row += confusion[d * NUM_CLASSES + p] ?? 0;
    return row > 0 ? (confusion[d * NUM_CLASSES + d] ?? 0) / row : 0;
  });
}

/** The best validation accuracy of a run, or null without an epoch. */
export function bestValAccuracy(r: Pick<RunRecord, 'epochs'>): number | null {
  return r.epochs.length ? Math.max(...r.epochs.map((e) => e.valAccuracy)) : null;
}

// ------------------------------------------------------------------ comparing

/** One row of the comparison table: a setting and its text for each run, in the runs' order. */
export interface DiffRow {
  key: ConfigKey;
  label: string;
  values: string[];
}

/** The settings whose values are not all the same across `runs` (a run without a config shows "?"; an empty value, e.g. no hidden layer, is "" for the view to name). */
export function settingsDiff(runs: readonly Pick<RunRecord, 'config'>[]): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const spec of PARAMS) {
    const values = runs.map((r) => (r.config ? formatParam(spec.key, r.config[spec.key]) : '?'));
    if (new Set(values).size > 1) rows.push({ key: spec.key, label: spec.label, values });
  }
  return rows;
}

export type RunSort = 'newest' | 'accuracy' | 'time';

/** Newest first; by test accuracy (best first, runs without one last); or by time (fastest first, unknown last). */
export function sortRuns(runs: readonly RunRecord[], by: RunSort): RunRecord[] {
  const newest = (a: RunRecord, b: RunRecord) => b.endedAt.localeCompare(a.endedAt);
  const list = [...runs];
  if (by === 'accuracy') return list.sort((a, b) => (b.test?.accuracy ?? -1) - (a.test?.accuracy ?? -1) || newest(a, b));
  if (by === 'time') return list.sort((a, b) => (a.elapsedMs ?? Infinity) - (b.elapsedMs ?? Infinity) || newest(a, b));
  return list.sort(newest);
}

/** The ids to delete so that at most `max` runs remain: oldest unpinned first, never `keep`. */
export function runsToPrune(runs: readonly Pick<RunRecord, 'id' | 'pinned' | 'endedAt'>[], keep: string, max = MAX_RUNS): string[] {
  const excess = runs.length - max;
  if (excess <= 0) return [];
  return runs
    .filter((r) => !r.pinned && r.id !== keep)
    .sort((a, b) => a.endedAt.localeCompare(b.endedAt))
    .slice(0, excess)
    .map((r) => r.id);
}
