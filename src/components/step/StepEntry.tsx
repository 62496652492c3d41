/**
 * The step view's entry by the pad: its button, and the view itself (its own chunk, with KaTeX,
 * loaded when first opened, with retries; one that still fails says so with Retry) while it is open.
 */
import { lazyChunk } from '../../client/lazyChunk';
import { msg } from '../../i18n/message';
import { ChunkView } from '../ChunkView';
import type { TrainerApi } from '../../client/useTrainer';
import { StepModeButton } from './StepModeButton';
import { closeStepView, useStepViewOpen } from './stepViewStore';

const viewChunk = lazyChunk(
  () => import('./StepView'),
  (m) => m.StepView,
  msg('errors.chunk.step'),
);

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
  return (
    <ChunkView
      chunk={viewChunk}
      props={{ ...props, onClose: closeStepView }}
      placeholder={(failure) => failure}
      errorTestId="step-load-error"
    />
  );
}
