import { memo, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CellImagesView } from '../think/CellImagesView';
import type { TrainerApi } from '../../client/useTrainer';
import type { Availability, TrainerState } from '../../client/trainerState';
import { DreamsView } from './DreamsView';
import { ModelLibrary } from './ModelLibrary';
import { TestReportView, type InspectHandler } from './TestReportView';
import { WeightGrid } from './WeightGrid';
import './insight.css';

/** What the insight views read of the trainer: a few state fields and the stable commands (so they re-render only when those change). */
export type InsightTrainer = Pick<
  TrainerApi,
  'evaluate' | 'dream' | 'testImages' | 'saveModel' | 'loadModel' | 'deleteModel' | 'exportModel' | 'importModel' | 'loadBundledModel'
> & {
  state: Pick<TrainerState, 'status' | 'model' | 'report' | 'firstLayer' | 'savedModels'>;
  can: Availability;
};

export interface InsightSectionProps {
  trainer: InsightTrainer;
  /** Shows a test digit ([784] pixels 0..1) in the drawing pad's preview. */
  onInspect: InspectHandler;
}

/** "See inside the network": test-set report, first-layer weights, dreams and the model library, in one responsive grid. */
export const InsightSection = memo(function InsightSection({ trainer, onInspect }: InsightSectionProps) {
  const { t } = useTranslation();
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
        emptyMessage={busy ? t('insight.report.emptyTraining') : undefined}
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
});
