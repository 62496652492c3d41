/**
 * The round trip to Python: "Export for Python" downloads a Keras script in the tutorial's style and
 * the model's weights (`mnist_mlp.py`, `mnist_mlp.npz`); the two-line snippet saves a model trained
 * in Python in the same layout, and "Import .npz…" brings it in (checked before it reaches the worker).
 */
import { memo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageText, type MessageKey } from '../../client/localMessage';
import type { RunKind } from '../../client/runHistoryRecord';
import type { TrainerApi } from '../../client/useTrainer';
import { NPZ_SNIPPET, npzOf, sizesText } from '../../shared/kerasWeights';
import { NPZ_FILE, PY_FILE, pythonScript } from '../../shared/pythonExport';
import { ACTIVATIONS, type Activation } from '../../shared/trainConfig';
import { downloadBlob } from '../download';
import { readNpzFile } from './npzImport';

export interface PythonPanelProps {
  exportWeights: TrainerApi['exportWeights'];
  importModel: TrainerApi['importModel'];
  /** Why the model cannot be exported or a model loaded now, or null. */
  exportReason: string | null;
  loadReason: string | null;
  /** The kept run whose model is the current one, if any: its name titles the script. */
  currentRun: { name: string; kind: RunKind } | null;
}

/** What the script cannot repeat of a fine-tune or a continued run. */
/** The script's option that retrains from scratch. */
const TRAIN_FLAG = '--train';
/** File names and the command in the page's words (the same in every language). */
const FILES = { script: PY_FILE, weights: NPZ_FILE, flag: TRAIN_FLAG, command: `python ${PY_FILE}` };

const KIND_NOTES: Partial<Record<RunKind, MessageKey>> = {
  'fine-tune': 'experiments.scriptNoteFineTune',
  continued: 'experiments.scriptNoteContinued',
};

export const PythonPanel = memo(function PythonPanel({
  exportWeights,
  importModel,
  exportReason,
  loadReason,
  currentRun,
}: PythonPanelProps) {
  const { t, i18n } = useTranslation();
  const [working, setWorking] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [activation, setActivation] = useState<Activation>('relu');
  const fileInput = useRef<HTMLInputElement>(null);

  const doExport = async () => {
    setWorking(true);
    setError(null);
    setNote(t('experiments.exporting'));
    try {
      const w = await exportWeights();
      // The script's comments stay English (it is code, like the tutorial's); so does this note inside it.
      const noteKey = currentRun ? KIND_NOTES[currentRun.kind] : undefined;
      const kindNote = noteKey ? i18n.getFixedT('en')(noteKey, FILES) : undefined;
      const script = pythonScript({
        sizes: w.sizes,
        activation: w.activation,
        config: w.config,
        testAccuracy: w.testAccuracy,
        name: currentRun?.name ?? w.description,
        description: w.description,
        notes: kindNote ? [kindNote] : [],
        date: new Date().toISOString(),
      });
      downloadBlob(new Blob([script], { type: 'text/x-python' }), PY_FILE);
      downloadBlob(new Blob([npzOf(w)], { type: 'application/octet-stream' }), NPZ_FILE);
      setNote(t('experiments.exported', { ...FILES, sizes: `${sizesText(w.sizes)} ${w.activation}` }));
    } catch (e) {
      setNote(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setWorking(false);
    }
  };

  const doImport = async (file: File | undefined) => {
    if (!file) return;
    setNote(null);
    if (loadReason) return setError(loadReason);
    const read = await readNpzFile(file, activation);
    if ('error' in read) return setError(t('experiments.cannotImport', { name: file.name, reason: messageText(t, read.error) }));
    setError(null);
    setWorking(true);
    setNote(t('experiments.importing', { name: file.name }));
    try {
      await importModel(read.files);
      setNote(t('experiments.imported', { name: file.name, summary: read.summary }));
    } catch (e) {
      setNote(null);
      setError(t('experiments.cannotImportNow', { name: file.name, reason: e instanceof Error ? e.message : String(e) }));
    } finally {
      setWorking(false);
    }
  };

  return (
    <section className="panel python-panel" aria-labelledby="python-title" data-testid="python-panel">
      <h2 id="python-title">{t('experiments.pythonTitle')}</h2>
      <div className="python-columns">
        <div>
          <h3>{t('experiments.toPython')}</h3>
          <p className="muted">{t('experiments.pythonIntro', FILES)}</p>
          <div className="python-actions">
            <button
              type="button"
              data-testid="export-python"
              disabled={exportReason !== null || working}
              title={exportReason ?? undefined}
              onClick={() => void doExport()}
            >
              {t('experiments.exportPython')}
            </button>
          </div>
        </div>
        <div>
          <h3>{t('experiments.fromPythonTitle')}</h3>
          <p className="python-from muted">{t('experiments.fromPython')}</p>
          <pre className="python-snippet" data-testid="npz-snippet">
            <code>{NPZ_SNIPPET}</code>
          </pre>
          <p className="muted">{t('experiments.fromPythonThen', FILES)}</p>
          <div className="python-actions">
            <label className="python-activation">
              {t('experiments.activationLabel')}{' '}
              <select value={activation} onChange={(e) => setActivation(e.target.value as Activation)} data-testid="npz-activation">
                {ACTIVATIONS.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="secondary"
              disabled={loadReason !== null || working}
              title={loadReason ?? undefined}
              onClick={() => fileInput.current?.click()}
            >
              {t('experiments.importNpz')}
            </button>
            <input
              ref={fileInput}
              type="file"
              accept=".npz,application/octet-stream"
              hidden
              data-testid="npz-input"
              onChange={(e) => {
                void doImport(e.currentTarget.files?.[0]);
                e.currentTarget.value = '';
              }}
            />
          </div>
        </div>
      </div>
      {error && (
        <p className="insight-error" role="alert" data-testid="python-error">
          {error}
        </p>
      )}
      {note && (
        <p className="muted" role="status" data-testid="python-note">
          {note}
        </p>
      )}
    </section>
  );
});
