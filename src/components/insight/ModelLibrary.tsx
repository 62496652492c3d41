import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { TrainerApi } from '../../client/useTrainer';
import type { Availability, TrainerState } from '../../client/trainerState';
import type { ModelFiles } from '../../shared/protocol';
import type { TrainConfig } from '../../shared/trainConfig';
import { formatPercent } from '../../shared/confusion';
import { nonFiniteWeights, singleShardModelJson, validateModelFiles } from '../../shared/modelImport';
import { isNpz, readNpzFile } from '../experiments/npzImport';
import { askPersistence } from '../../shared/browserStorage';
import { storageUseText, useStorageUse } from '../../client/useStorageUse';
import { downloadBlob } from './download';
import './insight.css';

export interface ModelLibraryProps {
  /** The saved models, the current model and the library's commands (each a promise of the worker's answer). */
  trainer: Pick<TrainerApi, 'saveModel' | 'loadModel' | 'deleteModel' | 'exportModel' | 'importModel' | 'loadBundledModel'> & {
    state: Pick<TrainerState, 'model' | 'savedModels'>;
    can: Availability;
  };
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
export function ModelLibrary({ trainer }: ModelLibraryProps) {
  const { state, can } = trainer;
  const models = state.savedModels;
  const [name, setName] = useState('');
  const [importError, setImportError] = useState<string | null>(null);
  /** The saved model whose Delete was pressed once: a second press deletes it. */
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  /** A library command waits for the worker's answer: the others wait too. */
  const [working, setWorking] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const nameId = useId();
  const hasModel = state.model.source !== 'none';
  const loadReason = can.load ?? (working ? 'Wait for the library to finish.' : null);
  const storage = useStorageUse();

  /** Runs one library command: a progress note, then its outcome (never the page's error state). */
  const run = async (progress: string, action: () => Promise<string>) => {
    setWorking(true);
    setNote(progress);
    try {
      setNote(await action());
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
    } finally {
      setWorking(false);
    }
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (can.save || working) return;
    const chosen = name.trim() || `model ${new Date().toLocaleString()}`;
    void run(`Saving “${chosen}”…`, async () => {
      await trainer.saveModel(chosen);
      // Only now: a failed save keeps the typed name for another try.
      setName((typed) => (typed === name ? '' : typed));
      void askPersistence();
      return `Saved “${chosen}”.`;
    });
  };

  const doExport = () =>
    run('Exporting…', async () => {
      const files = await trainer.exportModel();
      downloadBlob(new Blob([files.modelJson], { type: 'application/json' }), 'model.json');
      downloadBlob(new Blob([files.weights], { type: 'application/octet-stream' }), files.weightsName);
      return `Exported model.json and ${files.weightsName}.`;
    });

  const importFiles = async (list: FileList | File[] | null) => {
    const files = [...(list ?? [])];
    if (files.length === 0) return;
    setNote(null);
    if (loadReason) {
      setImportError(loadReason);
      return;
    }
    // A Keras .npz (the tutorial's weights; hidden layers read as relu), checked and converted to layers files.
    const npz = files.find(isNpz);
    if (npz) {
      const read = files.length === 1 ? await readNpzFile(npz) : { error: 'pick the .npz file alone' };
      if ('error' in read) setImportError(`Cannot import ${npz.name}: ${read.error}.`);
      else await importChecked(npz.name, read.files, read.summary);
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
    let modelFiles: ModelFiles;
    let summary: string;
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
      const nonFinite = nonFiniteWeights(text, weights);
      if (nonFinite) {
        setImportError(`Cannot import ${jsonFile.name}: ${nonFinite}.`);
        return;
      }
      const modelJson = check.weightFiles.length > 1 ? singleShardModelJson(text, check.weightsName) : text;
      modelFiles = { modelJson, weights, weightsName: check.weightsName };
      summary = check.summary;
    } catch (e) {
      setImportError(`Cannot read the files: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    await importChecked(jsonFile.name, modelFiles, summary);
  };

  /** Sends checked model files to the worker. */
  const importChecked = async (fileName: string, modelFiles: ModelFiles, summary: string) => {
    setImportError(null);
    setWorking(true);
    setNote(`Importing ${fileName} (${summary})…`);
    try {
      await trainer.importModel(modelFiles);
      setNote(`Imported ${fileName} (${summary}).`);
    } catch (e) {
      setNote(null);
      setImportError(`Cannot import ${fileName}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setWorking(false);
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
                  {formatDate(m.savedAt)} ·{' '}
                  {m.testAccuracy === null ? 'not evaluated' : `${formatPercent(m.testAccuracy, 2)} test accuracy`}
                </span>
                <span className="muted model-config">{configSummary(m.config)}</span>
              </div>
              <div className="model-actions">
                <button
                  type="button"
                  data-testid="load-model-button"
                  disabled={loadReason !== null}
                  title={loadReason ?? undefined}
                  aria-label={`Load ${m.name}`}
                  onClick={() =>
                    void run(`Loading “${m.name}”…`, async () => {
                      await trainer.loadModel(m.id);
                      return `Loaded “${m.name}”.`;
                    })
                  }
                >
                  Load
                </button>
                {confirmDelete === m.id ? (
                  <>
                    <button
                      type="button"
                      className="danger"
                      data-testid="confirm-delete-button"
                      aria-label={`Really delete ${m.name}`}
                      disabled={working}
                      onClick={() => {
                        setConfirmDelete(null);
                        void run(`Deleting “${m.name}”…`, async () => {
                          await trainer.deleteModel(m.id);
                          return `Deleted “${m.name}”.`;
                        });
                      }}
                    >
                      Delete for good
                    </button>
                    <button type="button" className="secondary" onClick={() => setConfirmDelete(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    data-testid="delete-model-button"
                    aria-label={`Delete ${m.name}`}
                    onClick={() => setConfirmDelete(m.id)}
                  >
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
          <button type="submit" data-testid="save-button" disabled={can.save !== null || working} title={can.save ?? undefined}>
            Save
          </button>
        </div>
      </form>

      <div className="library-actions">
        <button
          type="button"
          className="secondary"
          data-testid="export-button"
          disabled={can.export !== null || working}
          title={can.export ?? undefined}
          onClick={() => void doExport()}
        >
          Export files
        </button>
        <button
          type="button"
          className="secondary"
          disabled={loadReason !== null}
          title={loadReason ?? undefined}
          onClick={() => fileInput.current?.click()}
        >
          Import files…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,.bin,.npz,application/json,application/octet-stream"
          multiple
          hidden
          data-testid="import-input"
          onChange={(e) => {
            void importFiles(e.currentTarget.files);
            e.currentTarget.value = ''; // picking the same files again fires change again
          }}
        />
        <button
          type="button"
          className="secondary"
          data-testid="load-bundled-button"
          disabled={loadReason !== null}
          title={loadReason ?? undefined}
          onClick={() =>
            void run('Loading the pre-trained model…', async () => {
              await trainer.loadBundledModel();
              return 'Loaded the pre-trained model.';
            })
          }
        >
          Load pre-trained model
        </button>
      </div>
      {loadReason && can.load && (
        <p className="muted" data-testid="library-reason">
          {loadReason}
        </p>
      )}
      {storage && (
        <p className="muted" data-testid="storage-usage">
          {storageUseText(storage)}
        </p>
      )}
      <p className="muted drop-hint">
        …or drop model.json and its .bin file here (TF.js layers format, 784 inputs, 10 softmax outputs), or a Keras .npz.
      </p>
      {importError && (
        <p className="insight-error" role="alert" data-testid="import-error">
          {importError}
        </p>
      )}
      {note && (
        <p className="muted" role="status" data-testid="library-note">
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
