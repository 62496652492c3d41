/**
 * Training runs and their control: train, fine-tune, pause, resume, stop, and
 * Reset (a fresh start). When each may run, and that Stop and Reset cancel a
 * run still waiting (Reset also one running), are rows of the command table;
 * what they do is here.
 */
import { fineTuneConfig, repeatsFor } from '../../shared/fineTune';
import type { WorkerPhase } from '../../shared/protocol';
import { memoryBudget, memoryRefusal } from '../../shared/runEstimate';
import type { TrainConfig } from '../../shared/trainConfig';
import { EngineError } from '../errors';
import { fineTuneMix } from '../fineTuneMix';
import type { WorkerSession } from '../session';
import { splitIndices } from '../split';
import type { HandlersFor } from './types';

/**
 * The worker's own memory check (the page disables Train with the same rule, runEstimate.ts):
 * a run that cannot fit is refused before a byte is allocated, whoever asked for it.
 */
export function refuseWhatCannotFit(config: TrainConfig): void {
  const deviceMemory = (globalThis as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory;
  const refusal = memoryRefusal(config, memoryBudget(deviceMemory));
  if (refusal) throw new EngineError('config', refusal);
}

function runPhase(s: WorkerSession): WorkerPhase {
  return s.engine.isPaused ? 'paused' : s.engine.isTraining ? 'training' : 'idle';
}

export const runControlHandlers: HandlersFor<'train' | 'fineTune' | 'pause' | 'resume' | 'stop' | 'reset'> = {
  async train(s, { config, continueTraining }) {
    refuseWhatCannotFit(config);
    await s.backend.use(config.backend, config);
    const summary = await s.engine.train(config, continueTraining ?? false);
    // A stopped run ends between epochs: keep its final weights too while they live on a GPU.
    if (summary.outcome !== 'cancelled') void s.backend.lastGood.take('at the end of the run');
    return summary;
  },

  async fineTune(s, { config, digits }) {
    const data = s.requireData();
    const { engine } = s;
    if (!digits.labels.length) throw new EngineError('config', 'Label some of your digits first: fine-tuning learns from them.');
    const sizes = engine.modelSizes!;
    await s.backend.use(config.backend);
    // Keep the model's shape, or the run would start a new model. A loaded model (raw pixels,
    // its normalisation folded in) is unfolded to the recipe's standardised inputs by the engine.
    const cfg = fineTuneConfig(config, {
      hiddenUnits: sizes.slice(1, -1),
      activation: engine.modelActivation!,
      normalization: engine.info.config?.normalization ?? 'standardize',
    });
    refuseWhatCannotFit(cfg);
    const before = await s.readDigits(digits);
    const testBefore = engine.info.testAccuracy;
    const mnist = splitIndices(data.train.count, cfg.trainSize, cfg.seed).train;
    const repeats = repeatsFor(digits.labels.length, mnist.length);
    const run = await engine.train(cfg, true, fineTuneMix(data.train, mnist, digits, repeats));
    const after = run.outcome === 'cancelled' ? null : await s.readDigits(digits);
    return {
      run,
      yoursBefore: before.accuracy,
      yoursAfter: after?.accuracy ?? null,
      testBefore,
      testAfter: run.report?.testAccuracy ?? null,
      repeats,
      mnistImages: mnist.length,
    };
  },

  async pause(s) {
    s.engine.pause();
    return runPhase(s);
  },
  async resume(s) {
    s.engine.resume();
    return runPhase(s);
  },
  async stop(s) {
    s.engine.stop();
    return runPhase(s);
  },

  /** A fresh start: the run was ended when Reset arrived (its table row); forget the weights, load the shipped model again. */
  async reset(s) {
    s.engine.clearModel();
    if (s.bundledModelUrl) {
      try {
        return await s.loadBundled();
      } catch {
        // Without the shipped model a reset still leaves a clean page.
      }
    }
    return s.engine.info;
  },
};
