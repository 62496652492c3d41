/**
 * "Experiments": every kept run (RunList), two or more of them side by side (RunCompare, RunDiff),
 * the result a shared link brought, and the round trip to Python (PythonPanel).
 */
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageText } from '../../client/localMessage';
import type { RunHistory, RunHistorySnapshot } from '../../client/runHistory';
import { sharedRunFromQuery } from '../../client/runHistoryLink';
import { sortRuns, uniqueNames, type RunKind, type RunSort } from '../../client/runHistoryRecord';
import { configFromQuery, formatParam, PARAMS } from '../../shared/trainConfig';
import type { ExperimentsProps } from './Experiments';
import { PythonPanel } from './PythonPanel';
import { RunCompare, MAX_COMPARED } from './RunCompare';
import { RunDiff } from './RunDiff';
import { RunList } from './RunList';
import { duration, epochsText, percent } from './text';
import './experiments.css';

export interface ExperimentsViewProps extends ExperimentsProps {
  history: RunHistory | null;
  snapshot: RunHistorySnapshot;
}

/** The link the page was opened with: its run's result and its settings (read once). */
const opened = (() => {
  const search = typeof location === 'undefined' ? '' : location.search;
  return { shared: sharedRunFromQuery(search), config: configFromQuery(search).config };
})();

export function ExperimentsView({ trainer, form, history, snapshot }: ExperimentsViewProps) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<RunSort>('newest');
  const [selected, setSelected] = useState<string[]>([]);
  const runs = useMemo(() => sortRuns(snapshot.runs, sort), [snapshot.runs, sort]);
  const names = useMemo(() => uniqueNames(snapshot.runs, t), [snapshot.runs, t]);
  // Runs deleted (here or in another tab) leave the comparison.
  const compared = useMemo(
    () => selected.map((id) => snapshot.runs.find((r) => r.id === id)).filter((r) => r !== undefined),
    [selected, snapshot.runs],
  );
  const toggle = useCallback(
    (id: string, on: boolean) => setSelected((s) => (on ? [...s.filter((x) => x !== id), id] : s.filter((x) => x !== id))),
    [],
  );
  const shared = opened.shared;
  // Only what the views show of the trainer, so they are not drawn again at every training step.
  const { version, source, description } = trainer.state.model;
  const model = useMemo(() => ({ version, source, description }), [version, source, description]);
  const found = currentRun(version, source, snapshot, names);
  const [runName, runKind] = [found?.name ?? null, found?.kind ?? null];
  const current = useMemo(() => (runName !== null && runKind ? { name: runName, kind: runKind } : null), [runName, runKind]);
  const formHasLink = PARAMS.every((p) => formatParam(p.key, form.config[p.key]) === formatParam(p.key, opened.config[p.key]));

  return (
    <>
      <section className="panel experiments" aria-labelledby="experiments-title" data-testid="experiments">
        <div className="insight-head">
          <h2 id="experiments-title">{t('experiments.title')}</h2>
          <label className="experiments-sort">
            {t('experiments.sortLabel')}{' '}
            <select value={sort} onChange={(e) => setSort(e.target.value as RunSort)} data-testid="run-sort">
              <option value="newest">{t('experiments.sortNewest')}</option>
              <option value="accuracy">{t('experiments.sortAccuracy')}</option>
              <option value="time">{t('experiments.sortTime')}</option>
            </select>
          </label>
        </div>
        <p className="muted experiments-intro">{t('experiments.intro')}</p>
        {shared && 'summary' in shared && (
          <p className="shared-run" data-testid="shared-run" role="note">
            {t('experiments.shared', {
              accuracy: percent(shared.summary.testAccuracy),
              epochs: epochsText(t, shared.summary.epochsRun),
              time: duration(t, shared.summary.seconds * 1000),
            })}
            {!formHasLink && <> {t('experiments.sharedChanged')}</>}
          </p>
        )}
        {shared && 'error' in shared && (
          <p className="muted" data-testid="shared-run-error">
            {messageText(t, shared.error)}
          </p>
        )}
        {snapshot.problem && (
          <p className="insight-error experiments-problem" role="alert" data-testid="run-history-problem">
            {messageText(t, snapshot.problem)}{' '}
            {snapshot.unsaved.size > 0 && (
              <button type="button" className="secondary" onClick={() => void history?.retry()} data-testid="run-history-retry">
                {t('experiments.retry')}
              </button>
            )}{' '}
            <button type="button" className="link" onClick={() => history?.dismissProblem()}>
              {t('experiments.dismiss')}
            </button>
          </p>
        )}
        {snapshot.deleted && (
          <p className="run-undo" role="status" data-testid="run-undo">
            {t('experiments.deleted', { name: names.get(snapshot.deleted.id) ?? snapshot.deleted.name ?? '' })}{' '}
            <button type="button" className="secondary" onClick={() => void history?.undo()} data-testid="run-undo-button">
              {t('experiments.undo')}
            </button>{' '}
            <button type="button" className="link" onClick={() => history?.dismissUndo()}>
              {t('experiments.dismiss')}
            </button>
          </p>
        )}
        <RunList
          runs={runs}
          names={names}
          snapshot={snapshot}
          history={history}
          model={model}
          savedModels={trainer.state.savedModels}
          loadReason={trainer.can.load}
          loadModel={trainer.loadModel}
          loadBundledModel={trainer.loadBundledModel}
          selected={selected}
          selectLimit={selected.length >= MAX_COMPARED ? t('experiments.maxSelected', { n: MAX_COMPARED }) : null}
          onSelect={toggle}
          onRunAgain={form.setConfig}
        />
        {compared.length >= 2 ? (
          <div className="run-comparison">
            <RunCompare runs={compared} names={names} />
            <RunDiff runs={compared} names={names} />
          </div>
        ) : (
          snapshot.runs.length > 1 && <p className="muted compare-hint">{t('experiments.compareHint')}</p>
        )}
      </section>
      <PythonPanel
        exportWeights={trainer.exportWeights}
        importModel={trainer.importModel}
        exportReason={trainer.can.export}
        loadReason={trainer.can.load}
        currentRun={current}
      />
    </>
  );
}

/** The kept run whose model is the current one, if any. */
function currentRun(
  version: number,
  source: string,
  snapshot: RunHistorySnapshot,
  names: Map<string, string>,
): { name: string; kind: RunKind } | null {
  if (source !== 'trained') return null;
  for (const [id, v] of snapshot.versions) {
    const run = v === version ? snapshot.runs.find((r) => r.id === id) : undefined;
    if (run) return { name: names.get(id) ?? '', kind: run.kind };
  }
  return null;
}
