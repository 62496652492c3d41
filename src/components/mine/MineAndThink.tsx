import { useCallback } from 'react';
import type { TrainerApi } from '../../client/useTrainer';
import { useMyDigits } from '../../client/useMyDigits';
import type { PadInput } from '../../drawing/usePadInput';
import type { TrainConfig } from '../../shared/trainConfig';
import { ThinkPanel } from '../think/ThinkPanel';
import { MyDigitsPanel } from './MyDigitsPanel';

export interface MineAndThinkProps {
  trainer: TrainerApi;
  /** The form's hyperparameters (fine-tuning takes its batch size, optimizer, seed, backend, augmentation). */
  config: TrainConfig;
  pad: PadInput;
  /** Changes whenever the weights change (the drawing pad's refreshKey). */
  refreshKey: number;
}

/** "Your digits" and "See it think", side by side under the drawing pad. */
export function MineAndThink({ trainer, config, pad, refreshKey }: MineAndThinkProps) {
  const { state, can, evaluateMine, inspect, fineTune, loadBundledModel } = trainer;
  const loadRobust = useCallback(() => loadBundledModel(true), [loadBundledModel]);
  const modelKey = `${state.model.version}/${refreshKey}`;
  const mine = useMyDigits(evaluateMine, modelKey);
  const onFineTune = useCallback(() => fineTune(config, mine.set), [fineTune, config, mine.set]);
  const training = state.status === 'training' || state.status === 'paused';
  return (
    <div className="mine-and-think">
      <MyDigitsPanel
        mine={mine}
        padInput={pad.input}
        onLabelled={pad.clear}
        modelVersion={state.model.version}
        testAccuracy={state.report?.version === state.model.version ? state.report.testAccuracy : state.model.testAccuracy}
        onFineTune={onFineTune}
        fineTuneReason={can.fineTune}
        onLoadRobust={loadRobust}
        loadReason={can.load}
      />
      <ThinkPanel
        inspect={inspect}
        input={pad.input}
        modelKey={modelKey}
        firstLayer={state.firstLayer}
        trainingStep={training ? (state.lastBatch?.step ?? 0) : null}
      />
    </div>
  );
}
