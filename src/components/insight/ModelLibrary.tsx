import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import type { TrainerApi } from '../../client/useTrainer';
import type { Availability, TrainerState } from '../../client/trainerState';
import type { ModelFiles } from '../../shared/protocol';
import { formatShare } from './format';
import { nonFiniteWeights, singleShardModelJson, validateModelFiles } from '../../shared/modelImport';
import { isNpz, readNpzFile } from '../experiments/npzImport';
import { askPersistence, formatBytes } from '../../shared/browserStorage';
import { useStorageUse } from '../../client/useStorageUse';
import { message, messageText } from '../../client/localMessage';
import { downloadBlob } from '../download';
import { concat, configSummary, formatDate } from './libraryText';
import './insight.css';

export interface ModelLibraryProps {
  /** The saved models, the current model and the library's commands (each a promise of the worker's answer). */
  trainer: Pick<TrainerApi, 'saveModel' | 'loadModel' | 'deleteModel' | 'exportModel' | 'importModel' | 'loadBundledModel'> & {
    state: Pick<TrainerState, 'model' | 'savedModels'>;
    can: Availability;
  };
}

/** A file name, the same in every language. */
const MODEL_JSON = 'model.json';

/**
 * Saved models (IndexedDB, through the worker): list, load, delete, save the current one,
 * export it as TF.js files, and import model.json + weights by file picker or drag-and-drop.
 * Imported files are checked here (validateModelFiles) before they reach the worker.
 */
export function ModelLibrary({ trainer }: ModelLibraryProps) {
  const { t } = useTranslation();
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
  const loadReason = can.load ?? (working ? t('insight.library.wait') : null);
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
    const chosen = name.trim() || t('insight.library.defaultName', { date: new Date().toLocaleString(currentLanguage()) });
    void run(t('insight.library.saving', { name: chosen }), async () => {
      await trainer.saveModel(chosen);
      // Only now: a failed save keeps the typed name for another try.
      setName((typed) => (typed === name ? '' : typed));
      void askPersistence();
      return t('insight.library.saved', { name: chosen });
    });
  };

  const doExport = () =>
    run(t('insight.library.exporting'), async () => {
      const files = await trainer.exportModel();
      downloadBlob(new Blob([files.modelJson], { type: 'application/json' }), MODEL_JSON);
      downloadBlob(new Blob([files.weights], { type: 'application/octet-stream' }), files.weightsName);
      return t('insight.library.exported', { json: MODEL_JSON, weights: files.weightsName });
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
      const read = files.length === 1 ? await readNpzFile(npz) : { error: message('insight.library.npzAlone') };
      if ('error' in read) setImportError(t('insight.library.cannotImport', { name: npz.name, reason: messageText(t, read.error) }));
      else await importChecked(npz.name, read.files, read.summary);
      return;
    }
    const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
    if (jsons.length !== 1) {
      setImportError(
        jsons.length === 0
          ? t('insight.library.pickJson', { json: MODEL_JSON })
          : t('insight.library.oneJson', { json: MODEL_JSON, names: jsons.map((f) => f.name).join(t('insight.listSeparator')) }),
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
        setImportError(t('insight.library.cannotImport', { name: jsonFile.name, reason: check.reason }));
        return;
      }
      const parts = await Promise.all(check.weightFiles.map((n) => others.find((f) => f.name === n)!.arrayBuffer()));
      const weights = concat(parts);
      const nonFinite = nonFiniteWeights(text, weights);
      if (nonFinite) {
        setImportError(t('insight.library.cannotImport', { name: jsonFile.name, reason: nonFinite }));
        return;
      }
      const modelJson = check.weightFiles.length > 1 ? singleShardModelJson(text, check.weightsName) : text;
      modelFiles = { modelJson, weights, weightsName: check.weightsName };
      summary = check.summary;
    } catch (e) {
      setImportError(t('insight.library.cannotRead', { reason: e instanceof Error ? e.message : String(e) }));
      return;
    }
    await importChecked(jsonFile.name, modelFiles, summary);
  };

  /** Sends checked model files to the worker. */
  const importChecked = async (fileName: string, modelFiles: ModelFiles, summary: string) => {
    setImportError(null);
    setWorking(true);
    setNote(t('insight.library.importing', { name: fileName, summary }));
    try {
      await trainer.importModel(modelFiles);
      setNote(t('insight.library.imported', { name: fileName, summary }));
    } catch (e) {
      setNote(null);
      setImportError(t('insight.library.cannotImportNow', { name: fileName, reason: e instanceof Error ? e.message : String(e) }));
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
      <h2 id="insight-library-title">{t('insight.library.title')}</h2>
      {models.length === 0 ? (
        <p className="muted insight-empty">{t('insight.library.empty')}</p>
      ) : (
        <ul className="model-list">
          {models.map((m) => (
            <li key={m.id} className="model-item" data-testid="saved-model-item" data-id={m.id}>
              <div className="model-meta">
                <strong className="model-name">{m.name}</strong>
                <span className="muted">
                  {formatDate(m.savedAt)} ·{' '}
                  {m.testAccuracy === null
                    ? t('insight.library.notEvaluated')
                    : t('insight.library.testAccuracy', { accuracy: formatShare(m.testAccuracy, 2) })}
                </span>
                <span className="muted model-config">{configSummary(t, m.config)}</span>
              </div>
              <div className="model-actions">
                <button
                  type="button"
                  data-testid="load-model-button"
                  disabled={loadReason !== null}
                  title={loadReason ?? undefined}
                  aria-label={t('insight.library.loadNamed', { name: m.name })}
                  onClick={() =>
                    void run(t('insight.library.loading', { name: m.name }), async () => {
                      await trainer.loadModel(m.id);
                      return t('insight.library.loaded', { name: m.name });
                    })
                  }
                >
                  {t('insight.library.load')}
                </button>
                {confirmDelete === m.id ? (
                  <>
                    <button
                      type="button"
                      className="danger"
                      data-testid="confirm-delete-button"
                      aria-label={t('insight.library.reallyDeleteNamed', { name: m.name })}
                      disabled={working}
                      onClick={() => {
                        setConfirmDelete(null);
                        void run(t('insight.library.deleting', { name: m.name }), async () => {
                          await trainer.deleteModel(m.id);
                          return t('insight.library.deleted', { name: m.name });
                        });
                      }}
                    >
                      {t('insight.library.reallyDelete')}
                    </button>
                    <button type="button" className="secondary" onClick={() => setConfirmDelete(null)}>
                      {t('insight.library.keep')}
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    data-testid="delete-model-button"
                    aria-label={t('insight.library.deleteNamed', { name: m.name })}
                    onClick={() => setConfirmDelete(m.id)}
                  >
                    {t('insight.library.delete')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}

      <form className="save-form" onSubmit={save}>
        <label htmlFor={nameId}>{t('insight.library.saveAs')}</label>
        <div className="save-row">
          <input
            id={nameId}
            type="text"
            data-testid="model-name-input"
            placeholder={hasModel ? t('insight.library.namePlaceholder') : t('insight.library.nameNoModel')}
            value={name}
            maxLength={80}
            onChange={(e) => setName(e.target.value)}
            disabled={!hasModel}
          />
          <button type="submit" data-testid="save-button" disabled={can.save !== null || working} title={can.save ?? undefined}>
            {t('insight.library.save')}
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
          {t('insight.library.export')}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={loadReason !== null}
          title={loadReason ?? undefined}
          onClick={() => fileInput.current?.click()}
        >
          {t('insight.library.import')}
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
            void run(t('insight.library.loadingBundled'), async () => {
              await trainer.loadBundledModel();
              return t('insight.library.loadedBundled');
            })
          }
        >
          {t('insight.library.loadBundled')}
        </button>
      </div>
      {loadReason && can.load && (
        <p className="muted" data-testid="library-reason">
          {loadReason}
        </p>
      )}
      {storage && (
        <p className="muted" data-testid="storage-usage">
          {t(storage.persisted ? 'insight.library.storageKept' : 'insight.library.storageMayClear', { size: formatBytes(storage.usage) })}
        </p>
      )}
      <p className="muted drop-hint">{t('insight.library.dropHint', { json: MODEL_JSON })}</p>
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
