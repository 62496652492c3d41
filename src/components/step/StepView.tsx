/**
 * "One step, slowed down": a modal view over the page. One real training step of the current
 * model on one example, shown stage by stage (forward pass, loss, backpropagation, update) with
 * the numbers the worker's training code computed; Step, ×10, ×100, Undo, and back to training.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrainerApi } from '../../client/useTrainer';
import { BackwardStage } from './BackwardStage';
import { ConceptsPanel } from './ConceptsPanel';
import { ExampleChooser } from './ExampleChooser';
import { ForwardStage } from './ForwardStage';
import { LossCurve } from './LossCurve';
import { LossStage } from './LossStage';
import { StepControls } from './StepControls';
import { TrainingNotice } from './TrainingNotice';
import { UpdateStage } from './UpdateStage';
import { useStepSession } from './useStepSession';
import './step.css';

interface Props {
  trainer: TrainerApi;
  padInput: Float32Array | null;
  onClose(): void;
}

export function StepView({ trainer, padInput, onClose }: Props) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const s = useStepSession(trainer);
  const { takePad } = s;
  const initialPad = useRef(padInput);

  useEffect(() => {
    const d = dialog.current;
    // Removed with the view, the dialog leaves the top layer by itself; closing it here would fire `close` again.
    if (d && !d.open) d.showModal();
  }, []);
  // The pad's digit is the example to start with, when there is one.
  useEffect(() => {
    if (initialPad.current) takePad(initialPad.current);
  }, [takePad]);

  const { status } = trainer.state;
  const running = status === 'training' || status === 'paused' || trainer.state.trainPending;
  const r = s.result;
  const where = r ? (r.path === 'tfjs' ? t('step.path.tfjs', { backend: r.backend }) : t('step.path.kernel')) : null;
  return (
    <dialog ref={dialog} className="step-dialog" aria-labelledby="step-title" data-testid="step-view" onClose={onClose}>
      <header className="step-head">
        <div>
          <h2 id="step-title">{t('step.title')}</h2>
          <p className="muted">{t('step.lead', { where: where ?? t('step.path.kernel') })}</p>
        </div>
        <button type="button" data-testid="step-back" title={t('step.backHint')} onClick={onClose}>
          {t('step.back')}
        </button>
      </header>
      <div className="step-body">
        <aside className="step-side">
          {running && <TrainingNotice trainer={trainer} />}
          <ExampleChooser s={s} padInput={padInput} />
          <StepControls s={s} trainer={trainer} />
          <LossCurve points={s.curve} />
          <ConceptsPanel shown={r !== null} />
        </aside>
        <div className="step-stages" data-testid="step-stages" aria-live="polite" aria-busy={s.pending === 'step'}>
          {r ? (
            <>
              <ForwardStage r={r} />
              <LossStage r={r} />
              <BackwardStage r={r} />
              <UpdateStage r={r} />
            </>
          ) : (
            <p className="muted step-placeholder">{t('step.placeholder')}</p>
          )}
        </div>
      </div>
    </dialog>
  );
}
