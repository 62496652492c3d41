import { useCallback } from 'react';
import type { TrainerApi } from '../../client/useTrainer';
import { DreamsView } from './DreamsView';
import { ModelLibrary } from './ModelLibrary';
import { TestReportView, type InspectHandler } from './TestReportView';
import { WeightGrid } from './WeightGrid';
import './insight.css';

export interface InsightSectionProps {
  trainer: TrainerApi;
  /** Shows a test digit ([784] pixels 0..1) in the drawing pad's preview. */
  onInspect: InspectHandler;
  /** Passed to ModelLibrary: offers "Load pre-trained model" when set. */
  bundledModelUrl?: string;
}

/** "See inside the network": test-set report, first-layer weights, dreams and the model library, in one responsive grid. */
export function InsightSection({ trainer, onInspect, bundledModelUrl }: InsightSectionProps) {
  const { state, send, dream, exportModel } = trainer;
  const busy = state.status === 'training' || state.status === 'paused';
  const hasModel = state.model.source !== 'none';
  const ready = state.dataset !== null;
  const evaluate = useCallback(() => send({ type: 'evaluate' }), [send]);
  const dreamDefault = useCallback(() => dream(), [dream]);
  return (
    <div className="insight" data-testid="insight">
      <TestReportView
        report={state.report}
        onInspect={onInspect}
        onEvaluate={evaluate}
        canEvaluate={hasModel && ready && !busy}
        emptyMessage={busy ? 'The test-set report appears when training finishes.' : undefined}
      />
      <WeightGrid firstLayer={state.firstLayer} />
      <DreamsView dream={dreamDefault} disabled={!hasModel || busy} />
      <ModelLibrary
        models={state.savedModels}
        modelSource={state.model.source}
        send={send}
        exportModel={exportModel}
        busy={busy}
        bundledModelUrl={bundledModelUrl}
      />
    </div>
  );
}
