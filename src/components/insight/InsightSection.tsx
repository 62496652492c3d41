import { useCallback, useState } from 'react';
import { CellImagesView } from '../think/CellImagesView';
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
}

/** "See inside the network": test-set report, first-layer weights, dreams and the model library, in one responsive grid. */
export function InsightSection({ trainer, onInspect }: InsightSectionProps) {
  const { state, can, evaluate, dream } = trainer;
  const busy = state.status === 'training' || state.status === 'paused';
  const dreamDefault = useCallback(() => dream(), [dream]);
  const [cell, setCell] = useState<{ label: number; predicted: number; version: number } | null>(null);
  const onCell = useCallback(
    (label: number, predicted: number) => setCell({ label, predicted, version: state.model.version }),
    [state.model.version],
  );
  return (
    <div className="insight" data-testid="insight">
      <TestReportView
        report={state.report}
        onInspect={onInspect}
        onEvaluate={evaluate}
        evaluateReason={can.evaluate}
        emptyMessage={busy ? 'The test-set report appears when training finishes.' : undefined}
        onCell={onCell}
      />
      {cell && cell.version === state.model.version && state.report && (
        <CellImagesView cell={cell} load={trainer.testImages} onInspect={onInspect} onClose={() => setCell(null)} />
      )}
      <WeightGrid firstLayer={state.firstLayer} />
      <DreamsView key={state.model.version} dream={dreamDefault} disabledReason={can.dream} />
      <ModelLibrary trainer={trainer} />
    </div>
  );
}
