/**
 * The round trip to Python: "Export for Python" downloads a Keras script in the tutorial's style and
 * the model's weights (`mnist_mlp.py`, `mnist_mlp.npz`); the two-line snippet saves a model trained
 * in Python in the same layout, and "Import .npz…" brings it in (checked before it reaches the worker).
 */
import { memo, useRef, useState } from 'react';
import type { RunKind } from '../../client/runHistoryRecord';
import type { TrainerApi } from '../../client/useTrainer';
import { NPZ_SNIPPET, npzOf, sizesText } from '../../shared/kerasWeights';
import { NPZ_FILE, PY_FILE, pythonScript } from '../../shared/pythonExport';
import { ACTIVATIONS, type Activation } from '../../shared/trainConfig';
import { downloadBlob } from '../insight/download';
import { readNpzFile } from './npzImport';
import { TEXT } from './text';

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
const KIND_NOTES: Partial<Record<RunKind, string>> = {
  'fine-tune':
    'The page fine-tuned this model on your own digits, which this script does not have: --train trains these settings on MNIST alone.',
  continued: 'The page continued an earlier model: --train runs these settings once, from fresh weights.',
};

export const PythonPanel = memo(function PythonPanel({
  exportWeights,
  importModel,
  exportReason,
  loadReason,
  currentRun,
}: PythonPanelProps) {
  const [working, setWorking] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [activation, setActivation] = useState<Activation>('relu');
  const fileInput = useRef<HTMLInputElement>(null);

  const doExport = async () => {
    setWorking(true);
    setError(null);
    setNote(TEXT.exporting);
    try {
      const w = await exportWeights();
      const kindNote = currentRun ? KIND_NOTES[currentRun.kind] : undefined;
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
      setNote(TEXT.exported(`${sizesText(w.sizes)} ${w.activation}`));
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
    if ('error' in read) return setError(TEXT.cannotImport(file.name, read.error));
    setError(null);
    setWorking(true);
    setNote(TEXT.importing(file.name));
    try {
      await importModel(read.files);
      setNote(TEXT.imported(file.name, read.summary));
    } catch (e) {
      setNote(null);
      setError(TEXT.cannotImport(file.name, e instanceof Error ? e.message : String(e)));
    } finally {
      setWorking(false);
    }
  };

  return (
    <section className="panel python-panel" aria-labelledby="python-title" data-testid="python-panel">
      <h2 id="python-title">{TEXT.pythonTitle}</h2>
      <div className="python-columns">
        <div>
          <h3>{TEXT.toPython}</h3>
          <p className="muted">{TEXT.pythonIntro}</p>
          <div className="python-actions">
            <button
              type="button"
              data-testid="export-python"
              disabled={exportReason !== null || working}
              title={exportReason ?? undefined}
              onClick={() => void doExport()}
            >
              {TEXT.exportPython}
            </button>
          </div>
        </div>
        <div>
          <h3>{TEXT.fromPythonTitle}</h3>
          <p className="python-from muted">{TEXT.fromPython}</p>
          <pre className="python-snippet" data-testid="npz-snippet">
            <code>{NPZ_SNIPPET}</code>
          </pre>
          <p className="muted">{TEXT.fromPythonThen}</p>
          <div className="python-actions">
            <label className="python-activation">
              {TEXT.activationLabel}{' '}
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
              {TEXT.importNpz}
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
