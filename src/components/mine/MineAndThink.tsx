import { memo, useCallback, type Ref } from 'react';
import type { MyDigitsApi } from '../../client/useMyDigits';
import type { DigitSet } from '../../shared/myDigits';
import type { FineTuneSummary, Inspection } from '../../shared/protocol';
import type { TrainConfig } from '../../shared/trainConfig';
import { ThinkPanel } from '../think/ThinkPanel';
import { MyDigitsPanel } from './MyDigitsPanel';

export interface MineAndThinkProps {
  /** Your digits (useMyDigits, shared with the label row under the pad). */
  mine: MyDigitsApi;
  /** The form's hyperparameters (fine-tuning takes its batch size, optimizer, seed, backend, augmentation). */
  config: TrainConfig;
  /** The pad's 28x28 input, or null when it is empty. */
  padInput: Float32Array | null;
  modelVersion: number;
  /** The current model's MNIST test accuracy, when known. */
  testAccuracy: number | null;
  fineTune(config: TrainConfig, digits: DigitSet): Promise<FineTuneSummary>;
  fineTuneReason: string | null;
  loadBundledModel(robust?: boolean): Promise<unknown>;
  loadReason: string | null;
  inspect(pixels: Float32Array): Promise<Inspection>;
  /** Changes whenever the weights change (a couple of times a second while training, while on screen). */
  modelKey: string;
  /** The same, also off screen: "see it think" keeps its history of the run while unseen. */
  thinkKey: string;
  firstLayer: { units: number; weights: Float32Array } | null;
  /** Training step of the run under way (throttled), or null when nothing trains. */
  trainingStep: number | null;
  /** The section is on screen (its pictures are drawn only then). */
  live: boolean;
  /** For the page's on-screen observer. */
  sectionRef?: Ref<HTMLDivElement>;
}

/** "Your digits" and "See it think", side by side under the drawing pad. */
export const MineAndThink = memo(function MineAndThink(props: MineAndThinkProps) {
  const { fineTune, config, loadBundledModel } = props;
  const onFineTune = useCallback((digits: DigitSet) => fineTune(config, digits), [fineTune, config]);
  const loadRobust = useCallback(() => loadBundledModel(true), [loadBundledModel]);
  return (
    <div className="mine-and-think" ref={props.sectionRef}>
      <MyDigitsPanel
        mine={props.mine}
        modelVersion={props.modelVersion}
        testAccuracy={props.testAccuracy}
        onFineTune={onFineTune}
        fineTuneReason={props.fineTuneReason}
        onLoadRobust={loadRobust}
        loadReason={props.loadReason}
      />
      <ThinkPanel
        inspect={props.inspect}
        input={props.padInput}
        modelKey={props.thinkKey}
        firstLayer={props.firstLayer}
        trainingStep={props.trainingStep}
        live={props.live}
      />
    </div>
  );
});
