import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { ModelFiles, SavedModelInfo, WorkerRequest } from '../../shared/protocol';
import type { TrainConfig } from '../../shared/trainConfig';
import { formatPercent } from '../../shared/confusion';
import { singleShardModelJson, validateModelFiles } from '../../shared/modelImport';
import { downloadBlob } from './download';
import './insight.css';

export type ModelSource = 'trained' | 'saved' | 'imported' | 'bundled' | 'none';

export interface ModelLibraryProps {
  /** state.savedModels */
  models: SavedModelInfo[];
  /** state.model.source: 'none' disables Save and Export. */
  modelSource: ModelSource;
  /** TrainerApi.send */
  send(req: WorkerRequest): void;
  /** TrainerApi.exportModel */
  exportModel(): Promise<ModelFiles | null>;
  /** The worker is training: loading, saving and importing wait. */
  busy?: boolean;
  /** When set, a button loads the model shipped with the app from this URL (loadBundledModel). */
  bundledModelUrl?: string;
}

/** "64-64 relu · adam 0.001 · 10 epochs" */
export function configSummary(config: TrainConfig | null | undefined): string {
  if (!config) return 'unknown hyperparameters';
  const layers = config.hiddenUnits.length ? `${config.hiddenUnits.join('-')} ${config.activation}` : 'no hidden layer';
  return `${layers} · ${config.optimizer} ${config.learningRate} · ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}`;
}

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * Saved models (IndexedDB, through the worker): list, load, delete, save the current one,
 * export it as TF.js files, and import model.json + weights by file picker or drag-and-drop.
 * Imported files are checked here (validateModelFiles) before they reach the worker.
 */
export function ModelLibrary({ models, modelSource, send, exportModel, busy = false, bundledModelUrl }: ModelLibraryProps) {
  const [name, setName] = useState('');
  const [importError, setImportError] = useState<string | null>(null);
  /** The saved model whose Delete was pressed once: a second press deletes it. */
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  // A progress note lasts until the worker answers: the saved list or the model source changes.
  const [noteState, setNoteState] = useState<{ text: string; models: SavedModelInfo[]; source: ModelSource; transient: boolean } | null>(null);
  const note = noteState && (!noteState.transient || (noteState.models === models && noteState.source === modelSource)) ? noteState.text : null;
  const setNote = (text: string | null, transient = false) => setNoteState(text === null ? null : { text, models, source: modelSource, transient });
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const nameId = useId();
  const hasModel = modelSource !== 'none';

  useEffect(() => {
    send({ type: 'listModels' });
  }, [send]);

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!hasModel || busy) return;
    const chosen = name.trim() || `model ${new Date().toLocaleString()}`;
    send({ type: 'saveModel', name: chosen });
    setNote(`Saving “${chosen}”…`, true);
    setName('');
  };

  const doExport = async () => {
    setNote(null);
    const files = await exportModel();
    if (!files) {
      setNote('Nothing to export: train a model or load one first.');
      return;
    }
    downloadBlob(new Blob([files.modelJson], { type: 'application/json' }), 'model.json');
    downloadBlob(new Blob([files.weights], { type: 'application/octet-stream' }), files.weightsName);
    setNote(`Exported model.json and ${files.weightsName}.`);
  };

  const importFiles = async (list: FileList | File[] | null) => {
    const files = [...(list ?? [])];
    if (files.length === 0) return;
    setNote(null);
    if (busy) {
      setImportError('Wait for training to finish before importing a model.');
      return;
    }
    const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
    if (jsons.length !== 1) {
      setImportError(
        jsons.length === 0
          ? 'Pick the model.json file together with its weights file (.bin).'
          : `Pick one model.json at a time (got ${jsons.map((f) => f.name).join(', ')}).`,
      );
      return;
    }
    const jsonFile = jsons[0]!;
    const others = files.filter((f) => f !== jsonFile);
    try {
      const text = await jsonFile.text();
      const check = validateModelFiles(
        text,
        others.map((f) => ({ name: f.name, bytes: f.size })),
      );
      if (!check.ok) {
        setImportError(`Cannot import ${jsonFile.name}: ${check.reason}.`);
        return;
      }
      const parts = await Promise.all(check.weightFiles.map((n) => others.find((f) => f.name === n)!.arrayBuffer()));
      const weights = concat(parts);
      const modelJson = check.weightFiles.length > 1 ? singleShardModelJson(text, check.weightsName) : text;
      send({ type: 'importModel', files: { modelJson, weights, weightsName: check.weightsName } });
      setImportError(null);
      setNote(`Importing ${jsonFile.name} (${check.summary})…`, true);
    } catch (e) {
      setImportError(`Cannot read the files: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void importFiles(e.dataTransfer.files);
  };

  return (
    <section
      className={`panel insight-library${dragging ? ' dragging' : ''}`}
      aria-labelledby="insight-library-title"
      data-testid="saved-models"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <h2 id="insight-library-title">Saved models</h2>
      {models.length === 0 ? (
        <p className="muted insight-empty">No saved models yet: train one and save it here.</p>
      ) : (
        <ul className="model-list">
          {models.map((m) => (
            <li key={m.id} className="model-item" data-testid="saved-model-item" data-id={m.id}>
              <div className="model-meta">
                <strong className="model-name">{m.name}</strong>
                <span className="muted">
                  {formatDate(m.savedAt)} · {m.testAccuracy === null ? 'not evaluated' : `${formatPercent(m.testAccuracy, 2)} test accuracy`}
                </span>
                <span className="muted model-config">{configSummary(m.config)}</span>
              </div>
              <div className="model-actions">
                <button
                  type="button"
                  data-testid="load-model-button"
                  disabled={busy}
                  aria-label={`Load ${m.name}`}
                  onClick={() => send({ type: 'loadModel', id: m.id })}
                >
                  Load
                </button>
                {confirmDelete === m.id ? (
                  <>
                    <button type="button" className="danger" data-testid="confirm-delete-button" aria-label={`Really delete ${m.name}`} onClick={() => send({ type: 'deleteModel', id: m.id })}>
                      Delete for good
                    </button>
                    <button type="button" className="secondary" onClick={() => setConfirmDelete(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" className="secondary" data-testid="delete-model-button" aria-label={`Delete ${m.name}`} onClick={() => setConfirmDelete(m.id)}>
                    Delete
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}

      <form className="save-form" onSubmit={save}>
        <label htmlFor={nameId}>Save the current model as</label>
        <div className="save-row">
          <input
            id={nameId}
            type="text"
            data-testid="model-name-input"
            placeholder={hasModel ? 'my model' : 'train or load a model first'}
            value={name}
            maxLength={80}
            onChange={(e) => setName(e.target.value)}
            disabled={!hasModel}
          />
          <button type="submit" data-testid="save-button" disabled={!hasModel || busy}>
            Save
          </button>
        </div>
      </form>

      <div className="library-actions">
        <button type="button" className="secondary" data-testid="export-button" disabled={!hasModel} onClick={() => void doExport()}>
          Export files
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => fileInput.current?.click()}>
          Import files…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,.bin,application/json,application/octet-stream"
          multiple
          hidden
          data-testid="import-input"
          onChange={(e) => {
            void importFiles(e.currentTarget.files);
            e.currentTarget.value = ''; // picking the same files again fires change again
          }}
        />
        {bundledModelUrl && (
          <button type="button" className="secondary" data-testid="load-bundled-button" disabled={busy} onClick={() => send({ type: 'loadBundledModel', url: bundledModelUrl })}>
            Load pre-trained model
          </button>
        )}
      </div>
      <p className="muted drop-hint">…or drop model.json and its .bin file here (TF.js layers format, 784 inputs, 10 softmax outputs).</p>
      {importError && (
        <p className="insight-error" role="alert" data-testid="import-error">
          {importError}
        </p>
      )}
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
    </section>
  );
}

function concat(parts: ArrayBuffer[]): ArrayBuffer {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out.buffer;
}
