import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageRefused, LanguageSelect } from './components/LanguageSelect';
import type { Msg } from './i18n/message';
import { NoticeLine } from './components/NoticeLine';
import { useConfigForm } from './client/useConfigForm';
import { useMyDigits } from './client/useMyDigits';
import { useThrottled } from './client/useThrottled';
import { useTrainer } from './client/useTrainer';
import { DrawingPad, type ExternalInput } from './drawing/DrawingPad';
import { usePadInput } from './drawing/usePadInput';
import { MineAndThink } from './components/mine/MineAndThink';
import { LabelRow, usePrompt } from './components/mine/LabelRow';
import { ControlsPanel } from './components/ControlsPanel';
import { StepEntry } from './components/step/StepEntry';
// Curves and the insight views load after the first paint, in their own chunks.
import { Curves, InsightSection } from './components/LazyViews';
import { DataStatus } from './components/DataStatus';
import { ErrorBanner } from './components/ErrorBanner';
import { TestResult } from './components/TestResult';
import { RunProgressMini, TrainingProgress } from './components/TrainingProgress';
import { RunEstimateLine } from './components/RunEstimate';
import { FirstVisitIntro } from './components/FirstVisitIntro';
import { TryTestDigit } from './components/TryTestDigit';
import { Experiments } from './components/experiments/Experiments';
import { RunClockStore } from './components/runClock';
import { runVerdict } from './components/runVerdict';
import { useRunEstimate } from './components/useRunEstimate';
import { useOnScreen, useWhileLive } from './components/useOnScreen';
import { useShallowStable } from './components/useShallowStable';
import { TEST_IMAGES } from './shared/runEstimate';
import { validationSizeFor, type BackendChoice, type TrainConfig } from './shared/trainConfig';

/** Live pictures and the pad's reading follow the weights at most this often while training, ms (~2 Hz). */
const LIVE_INTERVAL_MS = 500;

/** A small stable hash so a change of model text changes refreshKey. */
function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

export function App() {
  const { t } = useTranslation();
  const trainer = useTrainer();
  const form = useConfigForm();
  const [continueTraining, setContinueTraining] = useState(false);
  const { state } = trainer;
  const { train, predict, evaluateMine, inspect, fineTune, loadBundledModel } = trainer;
  const can = useShallowStable(trainer.can);
  const canContinue = state.model.source !== 'none';
  const [inspected, setInspected] = useState<ExternalInput | null>(null);
  const pad = usePadInput();
  const inspectDigit = useCallback(
    (pixels: Float32Array, label: string | Msg) => setInspected((prev) => ({ pixels, label, key: (prev?.key ?? 0) + 1 })),
    [],
  );

  // Views that cost what they show: each live view follows the weights only while it is on screen.
  const [drawRef, drawOnScreen] = useOnScreen<HTMLElement>();
  const [mineRef, mineOnScreen] = useOnScreen<HTMLDivElement>();
  const liveStep = useThrottled(state.lastBatch?.step ?? 0, LIVE_INTERVAL_MS);
  const refreshKey = liveStep + hashString(`${state.model.version}|${state.model.description}|${state.epochs.length}`);
  const padKey = useWhileLive(refreshKey, drawOnScreen);
  const mineKey = useWhileLive(refreshKey, mineOnScreen);
  const modelKey = `${state.model.version}/${mineKey}`;

  const mine = useMyDigits(evaluateMine, modelKey);
  const prompt = usePrompt(mine.digits);

  // The run: what was launched (for the estimate and the clock), the estimate, the clock, the verdict.
  const [launched, setLaunched] = useState<{ config: TrainConfig; estimateMs: number | null } | null>(null);
  const estimate = useRunEstimate(form.valid ? form.config : null, state, launched?.config ?? null);
  const [clock] = useState(() => new RunClockStore());
  const training = state.status === 'training' || state.status === 'paused';
  const runConfig = training ? (state.model.config ?? launched?.config ?? null) : null;
  const lastBatch = state.lastBatch;
  useEffect(() => {
    const active = training || state.trainPending;
    const epochsLeft = lastBatch ? Math.max(0, state.totalEpochs - Math.floor(lastBatch.epoch)) : state.totalEpochs;
    clock.update({
      run: active ? (state.curvesVersion ?? -1) : null,
      paused: state.status === 'paused',
      step: lastBatch?.step ?? null,
      totalSteps: lastBatch ? lastBatch.stepsPerEpoch * state.totalEpochs : 0,
      batchSize: runConfig?.batchSize ?? 32,
      evalImagesLeft: (runConfig ? validationSizeFor(runConfig.trainSize) : 0) * epochsLeft + TEST_IMAGES,
      estimateMs: launched?.estimateMs ?? null,
    });
  }, [clock, training, state.trainPending, state.curvesVersion, state.status, state.totalEpochs, lastBatch, runConfig, launched]);

  const verdict = useMemo(() => {
    const nan = state.error?.code === 'nan';
    const finished = state.run && state.run.version === state.model.version && state.run.outcome !== 'cancelled';
    if (!nan && !(finished && state.status === 'done')) return null;
    const config = state.model.config ?? launched?.config ?? null;
    return runVerdict({
      epochs: state.epochs,
      testAccuracy: state.report?.version === state.model.version ? state.report.testAccuracy : null,
      nan,
      learningRate: config?.learningRate ?? 0.001,
      optimizer: config?.optimizer ?? 'adam',
    });
  }, [state.error, state.run, state.model, state.status, state.epochs, state.report, launched]);

  const onTrain = useCallback(() => {
    setLaunched({ config: form.config, estimateMs: estimate ? estimate.seconds * 1000 : null });
    train(form.config, continueTraining && canContinue);
  }, [form.config, estimate, train, continueTraining, canContinue]);
  const showCurves = useCallback(
    () => document.querySelector('[data-testid=curves]')?.scrollIntoView({ behavior: 'smooth', block: 'start' }),
    [],
  );
  const lowerRate = useCallback(() => form.setField('learningRate', String(form.config.learningRate / 10)), [form]);
  const setBackend = useCallback((b: BackendChoice) => form.setField('backend', b), [form]);

  const insightTrainer = useMemo(
    () => ({
      state: {
        status: state.status,
        model: state.model,
        report: state.report,
        firstLayer: state.firstLayer,
        savedModels: state.savedModels,
      },
      can,
      evaluate: trainer.evaluate,
      dream: trainer.dream,
      testImages: trainer.testImages,
      saveModel: trainer.saveModel,
      loadModel: trainer.loadModel,
      deleteModel: trainer.deleteModel,
      exportModel: trainer.exportModel,
      importModel: trainer.importModel,
      loadBundledModel: trainer.loadBundledModel,
    }),
    [
      state.status,
      state.model,
      state.report,
      state.firstLayer,
      state.savedModels,
      can,
      trainer.evaluate,
      trainer.dream,
      trainer.testImages,
      trainer.saveModel,
      trainer.loadModel,
      trainer.deleteModel,
      trainer.exportModel,
      trainer.importModel,
      trainer.loadBundledModel,
    ],
  );
  const trainingStep = useThrottled(training ? (state.lastBatch?.step ?? 0) : null, LIVE_INTERVAL_MS);
  const testAccuracy = state.report?.version === state.model.version ? state.report.testAccuracy : state.model.testAccuracy;

  return (
    <div className="app">
      <header className="app-header">
        <h1>
          MNIST <span>{t('app.name')}</span>
        </h1>
        <p className="tagline">{t('app.tagline')}</p>
        <span className="status" data-testid="app-status" data-state={state.status} data-verdict={verdict?.kind ?? ''} role="status">
          {t(`app.status.${state.status}`)}
        </span>
        <LanguageSelect />
      </header>
      <main className="app-main">
        <LanguageRefused />
        <FirstVisitIntro />
        {state.error && (
          <ErrorBanner
            error={state.error}
            onDismiss={trainer.dismissError}
            onRestart={trainer.restart}
            onLowerLearningRate={lowerRate}
            onBackend={setBackend}
          />
        )}
        {state.notice && <NoticeLine notice={state.notice} onDismiss={trainer.dismissNotice} />}
        <DataStatus dataset={state.dataset} dataProgress={state.dataProgress} />
        <div className="layout">
          <ControlsPanel
            form={form}
            status={state.status}
            can={can}
            canContinue={canContinue}
            continueTraining={continueTraining}
            onContinueChange={setContinueTraining}
            onTrain={onTrain}
            onPause={trainer.pause}
            onResume={trainer.resume}
            onStop={trainer.stop}
            onReset={trainer.reset}
            refusal={estimate?.refusal ?? null}
            runProgress={
              <RunProgressMini
                state={state}
                clock={clock}
                verdict={verdict}
                estimate={<RunEstimateLine estimate={estimate} />}
                onShowCurves={showCurves}
              />
            }
          />
          <section className="panel draw" aria-labelledby="draw-title" ref={drawRef}>
            <div className="draw-head">
              <h2 id="draw-title">{t('draw.title')}</h2>
              <TryTestDigit dataset={state.dataset} onLoad={inspectDigit} />
            </div>
            <DrawingPad
              predict={predict}
              refreshKey={padKey}
              externalInput={inspected}
              onInput={pad.onInput}
              clearKey={pad.clearKey}
              undoKey={pad.undoKey}
              prompt={prompt.wanted}
            >
              <LabelRow mine={mine} padInput={pad.input} clearPad={pad.clear} undoPad={pad.undo} prompt={prompt} />
            </DrawingPad>
            <StepEntry trainer={trainer} padInput={pad.input} />
          </section>
          <div className="center">
            <TrainingProgress state={state} clock={clock} verdict={verdict} result={<TestResult state={state} verdict={verdict} />} />
            <Curves batches={state.batches} epochs={state.epochs} totalEpochs={state.totalEpochs} />
          </div>
          {/* Your digits, see it think and the insight views flow beside the tall settings column. */}
          <div className="below">
            <MineAndThink
              sectionRef={mineRef}
              live={mineOnScreen}
              mine={mine}
              config={form.config}
              padInput={pad.input}
              modelVersion={state.model.version}
              testAccuracy={testAccuracy}
              fineTune={fineTune}
              fineTuneReason={can.fineTune}
              loadBundledModel={loadBundledModel}
              loadReason={can.load}
              inspect={inspect}
              modelKey={modelKey}
              thinkKey={`${state.model.version}/${refreshKey}`}
              firstLayer={state.firstLayer}
              trainingStep={trainingStep}
            />
            <InsightSection trainer={insightTrainer} onInspect={inspectDigit} />
            <Experiments trainer={trainer} form={form} />
          </div>
        </div>
      </main>
      <footer className="app-footer muted">{t('app.footer')}</footer>
    </div>
  );
}
