/**
 * The experiments views' words, in one place (a translation replaces this table). Plain sentences;
 * figures are formatted by the functions below.
 */
import type { RunState } from '../../client/runHistoryRecord';

export const TEXT = {
  title: 'Experiments',
  intro: 'Every run is kept here, in this browser (the last 100; pin the ones to keep). Tick two or more to compare them.',
  empty: 'No runs yet: press Train, and each run you make appears here.',
  loading: 'Reading the kept runs…',
  sortLabel: 'Sort',
  sortNewest: 'newest first',
  sortAccuracy: 'best test accuracy',
  sortTime: 'fastest',
  compareHint: 'Tick two or more runs to overlay their validation curves and list the settings that differ.',
  compareTitle: 'Validation curves',
  compareCaption:
    'Each line is one run: its accuracy or loss on validation images it never learned from, after each epoch (faint: on its training images, step by step). The table lists only the settings that differ, then the results.',
  compareAccuracy: 'accuracy',
  compareLoss: 'loss',
  notDrawn: 'Not drawn (no finished epoch):',
  maxSelected: (n: number) => `At most ${n} runs at once: untick one first.`,
  diffTitle: 'What differs',
  diffSame: 'These runs used the same settings.',
  setting: 'Setting',
  resultTest: 'Test accuracy',
  resultLoss: 'Test loss',
  resultBestVal: 'Best validation accuracy',
  resultEpochs: 'Epochs run',
  resultTime: 'Time',
  resultSpeed: 'Samples/s',
  resultBackend: 'Trained on',
  resultWeakest: 'Weakest digit',
  runAgain: 'Run again',
  runAgainWhy: 'A fine-tune continues a model on your digits: use Fine-tune under “Your digits”.',
  ranAgain: (name: string) => `The settings of “${name}” are in the form: press Train to run them again.`,
  openModel: 'Open model',
  opened: (name: string) => `Opened the model of “${name}”.`,
  currentModel: 'current model',
  savedAs: (name: string) => `saved as “${name}”`,
  savedGone: 'its saved model was deleted',
  copyLink: 'Copy link',
  linkCopied: 'Link copied: it opens these settings and shows this run’s result.',
  linkManual: 'Copy this link:',
  rename: 'Rename',
  renameLabel: (name: string) => `New name for “${name}”`,
  save: 'Save',
  cancel: 'Cancel',
  pin: 'Pin',
  unpin: 'Unpin',
  pinned: 'pinned',
  delete: 'Delete',
  deleted: (name: string) => `Deleted “${name}”.`,
  undo: 'Undo',
  dismiss: 'OK',
  retry: 'Retry',
  unsaved: 'only in this tab',
  select: (name: string) => `Compare “${name}”`,
  shared: (acc: string, epochs: string, seconds: string) =>
    `This link comes from a run that reached ${acc} test accuracy (${epochs}, ${seconds}). Its settings are in the form: press Train to see your run beside it.`,
  sharedChanged: 'The form no longer has the link’s settings.',
  pythonTitle: 'To Python and back',
  toPython: 'To a notebook',
  fromPythonTitle: 'From a notebook',
  pythonIntro:
    'Downloads a Keras script in the tutorial’s style with this model’s settings (mnist_mlp.py), and its weights (mnist_mlp.npz). The script loads the weights and evaluates them, or retrains from scratch with --train.',
  exportPython: 'Export for Python',
  exporting: 'Exporting…',
  exported: (sizes: string) => `Downloaded mnist_mlp.py and mnist_mlp.npz (${sizes}). Run: python mnist_mlp.py`,
  fromPython: 'After training with the tutorial, save the model and its StandardScaler with:',
  fromPythonThen: 'then import mnist_mlp.npz here (or with Import files… under Saved models).',
  activationLabel: 'Its hidden layers use',
  importNpz: 'Import .npz…',
  importing: (name: string) => `Importing ${name}…`,
  imported: (name: string, summary: string) => `Imported ${name} (${summary}): draw a digit to try it.`,
  cannotImport: (name: string, why: string) => `Cannot import ${name}: ${why}.`,
} as const;

export const STATE_TEXT: Record<RunState, string> = {
  done: 'done',
  'early-stopped': 'stopped early',
  stopped: 'stopped',
  failed: 'failed',
};

/** 0.9669 → "96.69%" */
export const percent = (v: number, digits = 2) => `${(v * 100).toFixed(digits)}%`;

/** 14_830 → "14.8 s", 125_000 → "2 min 5 s" */
export function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** 31935 → "32k/s" */
export const speed = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k/s` : `${Math.round(n)}/s`);

/** 10 → "10 epochs", 1.5 → "1.5 epochs" */
export function epochsText(n: number): string {
  const shown = Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, '');
  return `${shown} epoch${n === 1 ? '' : 's'}`;
}

/** A date as "1 Dec, 10:02" in the reader's locale. */
export function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
