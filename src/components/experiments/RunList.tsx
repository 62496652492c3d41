/**
 * The kept runs, one row each: a tick to compare it, its name (automatic or the person's), how it
 * ended and its figures, and what can be done with it: run again, open its model, copy a link,
 * rename, pin, delete.
 */
import { memo, useState, type FormEvent } from 'react';
import type { RunHistory, RunHistorySnapshot } from '../../client/runHistory';
import { runLink, summaryOf } from '../../client/runHistoryLink';
import { MAX_PINNED, type RunRecord } from '../../client/runHistoryRecord';
import type { TrainerApi } from '../../client/useTrainer';
import type { ModelInfo, SavedModelInfo } from '../../shared/protocol';
import type { TrainConfig } from '../../shared/trainConfig';
import { duration, epochsText, percent, speed, STATE_TEXT, TEXT, when } from './text';

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

export const RunList = memo(function RunList(props: RunListProps) {
  const { runs, snapshot } = props;
  /** The outcome of the last action on a row (a sentence), and which row. */
  const [note, setNote] = useState<{ id: string; text: string; link?: string } | null>(null);
  if (!snapshot.loaded) return <p className="muted">{TEXT.loading}</p>;
  return (
    <>
      {runs.length === 0 && <p className="muted">{TEXT.empty}</p>}
      <ol className="run-list" data-testid="run-history" aria-label="Kept runs">
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
    run.test ? `${percent(run.test.accuracy)} test` : null,
    run.epochsRun !== null ? epochsText(run.epochsRun) : null,
    run.elapsedMs !== null ? duration(run.elapsedMs) : null,
    run.samplesPerSec ? speed(run.samplesPerSec) : null,
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
    onNote(TEXT.linkManual, link);
    navigator.clipboard?.writeText(link).then(
      () => onNote(TEXT.linkCopied, link),
      () => {},
    );
  };
  const open = async () => {
    try {
      if (run.kind === 'shipped') await loadBundledModel();
      else await loadModel(run.savedModel!.id);
      onNote(TEXT.opened(name));
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
        aria-label={TEXT.select(name)}
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
              aria-label={TEXT.renameLabel(name)}
              data-testid="run-rename-input"
              autoFocus
              onChange={(e) => setRenaming(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
            />
            <button type="submit" className="secondary">
              {TEXT.save}
            </button>
            <button type="button" className="link" onClick={() => setRenaming(null)}>
              {TEXT.cancel}
            </button>
          </form>
        )}
        <span className="run-badges">
          {run.state !== 'done' && <span className={`run-badge state-${run.state}`}>{STATE_TEXT[run.state]}</span>}
          {run.pinned && <span className="run-badge">{TEXT.pinned}</span>}
          {isCurrent && <span className="run-badge current">{TEXT.currentModel}</span>}
          {snapshot.unsaved.has(run.id) && <span className="run-badge state-failed">{TEXT.unsaved}</span>}
        </span>
        <span className="muted run-facts">{facts.join(' · ')}</span>
        {run.savedModel && (
          <span className="muted run-facts">
            {saved ? TEXT.savedAs(run.savedModel.name) : `${TEXT.savedAs(run.savedModel.name)}: ${TEXT.savedGone}`}
          </span>
        )}
        {run.note && run.state !== 'done' && <span className="muted run-facts run-note-text">{run.note}</span>}
        {note && (
          <span className="run-action-note" role="status">
            {note.text}
            {note.link && (
              <input
                className="run-link"
                data-testid="run-link"
                readOnly
                value={note.link}
                aria-label={TEXT.linkManual}
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
          title={run.kind === 'fine-tune' ? TEXT.runAgainWhy : undefined}
          onClick={() => {
            onRunAgain(run.config!);
            onNote(TEXT.ranAgain(name));
          }}
        >
          {TEXT.runAgain}
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
            {TEXT.openModel}
          </button>
        )}
        {run.config && (
          <button type="button" className="secondary" data-testid="run-copy-link" onClick={copyLink}>
            {TEXT.copyLink}
          </button>
        )}
        <button type="button" className="secondary" data-testid="run-rename" onClick={() => setRenaming(name)}>
          {TEXT.rename}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="run-pin"
          aria-pressed={run.pinned}
          disabled={!!pinReason}
          title={pinReason ?? `Pinned runs are never deleted to make room (at most ${MAX_PINNED}).`}
          onClick={() => history?.setPinned(run.id, !run.pinned)}
        >
          {run.pinned ? TEXT.unpin : TEXT.pin}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="run-delete"
          aria-label={`${TEXT.delete} “${name}”`}
          onClick={() => void history?.remove(run.id)}
        >
          {TEXT.delete}
        </button>
      </div>
    </li>
  );
}
