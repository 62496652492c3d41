/**
 * The step view's entry by the pad: its button, and the view itself (its own chunk, with KaTeX,
 * loaded when first opened) while it is open.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { lazyChunk } from '../../client/lazyChunk';
import type { TrainerApi } from '../../client/useTrainer';
import { StepModeButton } from './StepModeButton';
import { closeStepView, useStepViewOpen } from './stepViewStore';

const viewChunk = lazyChunk(
  () => import('./StepView'),
  (m) => m.StepView,
  'the step view',
); // i18n-ignore: the chunk's name in lazyChunk's message

interface Props {
  trainer: TrainerApi;
  /** The pad's input [784] 0..1, or null when it is empty. */
  padInput: Float32Array | null;
}

export function StepEntry({ trainer, padInput }: Props) {
  const open = useStepViewOpen();
  return (
    <div className="step-entry">
      <StepModeButton testId="step-mode" />
      {open && <LoadedView trainer={trainer} padInput={padInput} />}
    </div>
  );
}

function LoadedView(props: Props) {
  const state = useSyncExternalStore(viewChunk.subscribe, viewChunk.state);
  useEffect(() => viewChunk.load(), []);
  if (state.status === 'loaded') {
    const View = state.value;
    return <View {...props} onClose={closeStepView} />;
  }
  if (state.status === 'failed')
    return (
      <p className="notice" role="alert" data-testid="step-load-error">
        {state.message}
      </p>
    );
  return null;
}
