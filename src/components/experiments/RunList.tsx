/**
 * The kept runs, one row each: a tick to compare it, its name (automatic or the person's), how it
 * ended and its figures, and what can be done with it: run again, open its model, copy a link,
 * rename, pin, delete.
 */
import { memo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { messageText } from '../../client/localMessage';
import type { RunHistory, RunHistorySnapshot } from '../../client/runHistory';
import { runLink, summaryOf } from '../../client/runHistoryLink';
import { MAX_PINNED, RUN_NOTES, type RunRecord } from '../../client/runHistoryRecord';
import type { TFunction } from 'i18next';
import type { TrainerApi } from '../../client/useTrainer';
import type { ModelInfo, SavedModelInfo } from '../../shared/protocol';
import type { TrainConfig } from '../../shared/trainConfig';
import { duration, epochsText, percent, speed, STATE_KEY, when } from './text';

export interface RunListProps {
  /** In the order shown. */
  runs: RunRecord[];
  /** Run id → its (unique) name. */
  names: Map<string, string>;
  snapshot: RunHistorySnapshot;
  history: RunHistory | null;
  /** The current model (only what the rows show: the list is not drawn again for every training step). */
  model: Pick<ModelInfo, 'version' | 'source' | 'description'>;
  savedModels: SavedModelInfo[];
  /** Why a model cannot be loaded now, or null. */
  loadReason: string | null;
  loadModel: TrainerApi['loadModel'];
  loadBundledModel: TrainerApi['loadBundledModel'];
  /** Ids ticked for the comparison. */
  selected: string[];
  /** Why no more can be ticked, or null. */
  selectLimit: string | null;
  onSelect(id: string, on: boolean): void;
  onRunAgain(config: TrainConfig): void;
}

const PAGE_NOTES: readonly string[] = Object.values(RUN_NOTES);

/** A run's note: the page's own (a message key) translated, an error's words as they are. */
function noteText(t: TFunction, note: string): string {
  return PAGE_NOTES.includes(note) ? t(note as (typeof RUN_NOTES)[keyof typeof RUN_NOTES]) : note;
}

export const RunList = memo(function RunList(props: RunListProps) {
  const { t } = useTranslation();
  const { runs, snapshot } = props;
  /** The outcome of the last action on a row (a sentence), and which row. */
  const [note, setNote] = useState<{ id: string; text: string; link?: string } | null>(null);
  if (!snapshot.loaded) return <p className="muted">{t('experiments.loading')}</p>;
  return (
    <>
      {runs.length === 0 && <p className="muted">{t('experiments.empty')}</p>}
      <ol className="run-list" data-testid="run-history" aria-label={t('experiments.listLabel')}>
        {runs.map((run) => (
          <RunItem
            key={run.id}
            run={run}
            {...props}
            note={note?.id === run.id ? note : null}
            onNote={(text, link) => setNote({ id: run.id, text, link })}
          />
        ))}
      </ol>
    </>
  );
});

function RunItem({
  run,
  names,
  snapshot,
  history,
  model,
  savedModels,
  loadReason,
  loadModel,
  loadBundledModel,
  selected,
  selectLimit,
  onSelect,
  onRunAgain,
  note,
  onNote,
}: RunListProps & { run: RunRecord; note: { text: string; link?: string } | null; onNote(text: string, link?: string): void }) {
  const { t } = useTranslation();
  const name = names.get(run.id) ?? '';
  const [renaming, setRenaming] = useState<string | null>(null);
  const ticked = selected.includes(run.id);
  const isCurrent =
    run.kind === 'shipped'
      ? model.source === 'bundled' && !/robust/.test(model.description)
      : snapshot.versions.get(run.id) === model.version && model.source === 'trained';
  const saved = run.savedModel && savedModels.find((m) => m.id === run.savedModel!.id);
  const canOpen = !isCurrent && (run.kind === 'shipped' || !!saved);
  const summary = summaryOf(run);
  const pinReason = !run.pinned ? history?.pinReason() : null;

  const facts = [
    run.test ? t('experiments.testFact', { accuracy: percent(run.test.accuracy) }) : null,
    run.epochsRun !== null ? epochsText(t, run.epochsRun) : null,
    run.elapsedMs !== null ? duration(t, run.elapsedMs) : null,
    run.samplesPerSec ? speed(t, run.samplesPerSec) : null,
    run.backend ? run.backend.toUpperCase() : null,
    when(run.endedAt),
  ].filter((f) => f !== null);

  const submitRename = (e: FormEvent) => {
    e.preventDefault();
    history?.rename(run.id, renaming ?? '');
    setRenaming(null);
  };
  const copyLink = () => {
    if (!run.config) return;
    const link = runLink(location.href, run.config, summary);
    // Shown at once; the clipboard may refuse or never answer (no permission, no focus).
    onNote(t('experiments.linkManual'), link);
    navigator.clipboard?.writeText(link).then(
      () => onNote(t('experiments.linkCopied'), link),
      () => {},
    );
  };
  const open = async () => {
    try {
      if (run.kind === 'shipped') await loadBundledModel();
      else await loadModel(run.savedModel!.id);
      onNote(t('experiments.opened', { name }));
    } catch (e) {
      onNote(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <li
      className={`run-item${ticked ? ' ticked' : ''}`}
      data-testid="run-item"
      data-id={run.id}
      data-kind={run.kind}
      data-state={run.state}
      data-test-accuracy={run.test ? String(run.test.accuracy) : ''}
      data-unsaved={snapshot.unsaved.has(run.id) || undefined}
    >
      <input
        type="checkbox"
        data-testid="run-select"
        checked={ticked}
        disabled={!ticked && selectLimit !== null}
        title={!ticked && selectLimit ? selectLimit : undefined}
        aria-label={t('experiments.select', { name })}
        onChange={(e) => onSelect(run.id, e.target.checked)}
      />
      <div className="run-main">
        {renaming === null ? (
          <span className="run-name" data-testid="run-name">
            {name}
          </span>
        ) : (
          <form className="run-rename" onSubmit={submitRename}>
            <input
              type="text"
              value={renaming}
              maxLength={80}
              aria-label={t('experiments.renameLabel', { name })}
              data-testid="run-rename-input"
              autoFocus
              onChange={(e) => setRenaming(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
            />
            <button type="submit" className="secondary">
              {t('experiments.save')}
            </button>
            <button type="button" className="link" onClick={() => setRenaming(null)}>
              {t('experiments.cancel')}
            </button>
          </form>
        )}
        <span className="run-badges">
          {run.state !== 'done' && <span className={`run-badge state-${run.state}`}>{t(STATE_KEY[run.state])}</span>}
          {run.pinned && <span className="run-badge">{t('experiments.pinned')}</span>}
          {isCurrent && <span className="run-badge current">{t('experiments.currentModel')}</span>}
          {snapshot.unsaved.has(run.id) && <span className="run-badge state-failed">{t('experiments.unsaved')}</span>}
        </span>
        <span className="muted run-facts">{facts.join(' · ')}</span>
        {run.savedModel && (
          <span className="muted run-facts">
            {saved ? t('experiments.savedAs', { name: run.savedModel.name }) : t('experiments.savedGone', { name: run.savedModel.name })}
          </span>
        )}
        {run.note && run.state !== 'done' && <span className="muted run-facts run-note-text">{noteText(t, run.note)}</span>}
        {note && (
          <span className="run-action-note" role="status">
            {note.text}
            {note.link && (
              <input
                className="run-link"
                data-testid="run-link"
                readOnly
                value={note.link}
                aria-label={t('experiments.linkManual')}
                onFocus={(e) => e.currentTarget.select()}
              />
            )}
          </span>
        )}
      </div>
      <div className="run-actions">
        <button
          type="button"
          className="secondary"
          data-testid="run-again"
          disabled={!run.config || run.kind === 'fine-tune'}
          title={run.kind === 'fine-tune' ? t('experiments.runAgainWhy') : undefined}
          onClick={() => {
            onRunAgain(run.config!);
            onNote(t('experiments.ranAgain', { name }));
          }}
        >
          {t('experiments.runAgain')}
        </button>
        {canOpen && (
          <button
            type="button"
            className="secondary"
            data-testid="run-open-model"
            disabled={loadReason !== null}
            title={loadReason ?? undefined}
            onClick={() => void open()}
          >
            {t('experiments.openModel')}
          </button>
        )}
        {run.config && (
          <button type="button" className="secondary" data-testid="run-copy-link" onClick={copyLink}>
            {t('experiments.copyLink')}
          </button>
        )}
        <button type="button" className="secondary" data-testid="run-rename" onClick={() => setRenaming(name)}>
          {t('experiments.rename')}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="run-pin"
          aria-pressed={run.pinned}
          disabled={!!pinReason}
          title={pinReason ? messageText(t, pinReason) : t('experiments.pinWhy', { n: MAX_PINNED })}
          onClick={() => history?.setPinned(run.id, !run.pinned)}
        >
          {run.pinned ? t('experiments.unpin') : t('experiments.pin')}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="run-delete"
          aria-label={t('experiments.deleteNamed', { name })}
          onClick={() => void history?.remove(run.id)}
        >
          {t('experiments.delete')}
        </button>
      </div>
    </li>
  );
}
