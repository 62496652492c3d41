/**
 * One training step, slowed down: real steps of the current model on one example, taken by the
 * engine's own training code (Engine.traceStep), with the model's reading of the example before
 * and after the last one (predict, the pad's own forward pass); their Undo; a training example.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../../shared/constants';
import type { StepResult } from '../../shared/step';
import { lossFromLogits, softmax64 } from '../../shared/stepMaths';
import { DEFAULT_CONFIG } from '../../shared/trainConfig';
import type { ModelCopy } from '../modelCopy';
import { EngineError } from '../errors';
import type { WorkerSession } from '../session';
import type { HandlersFor } from './types';

/** The model as it was before the first step of a view session, while the model is still the one those steps made. */
interface Undo {
  session: number;
  /** The version the last step of the session left; any other change of the model ends the Undo. */
  version: number;
  steps: number;
  copy: ModelCopy;
}

const undos = new WeakMap<WorkerSession, Undo>();

function forget(s: WorkerSession): void {
  undos.get(s)?.copy.optimizer?.dispose();
  undos.delete(s);
}

/** The session's Undo if it still applies, else null (and a stale one is freed). */
function current(s: WorkerSession, session: number): Undo | null {
  const u = undos.get(s);
  if (u && u.session === session && u.version === s.engine.version) return u;
  if (u) forget(s);
  return null;
}

/**
 * The model's reading of the example from predict's forward pass: its logits, with the softmax and
 * the loss taken in float64 (float32 probabilities round a confident reading to exactly 1).
 */
async function readingOf(s: WorkerSession, pixels: Float32Array, label: number): Promise<{ probs: number[]; loss: number }> {
  const logits = await s.engine.logits(pixels);
  if (!logits) throw new EngineError('model', 'There is no model.');
  return { probs: softmax64(logits), loss: lossFromLogits(logits, label) };
}

export const stepHandlers: HandlersFor<'traceStep' | 'undoSteps' | 'trainingExample'> = {
  async traceStep(s, { pixels, label, times, session }): Promise<StepResult> {
    await s.backend.settled();
    const e = s.engine;
    let undo = current(s, session);
    if (!undo) {
      undo = { session, version: e.version, steps: 0, copy: await e.copyModel() };
      undos.set(s, undo);
    }
    const curve: number[] = [];
    // Each step's loss from its own forward pass's logits, in float64 like the loss before and after.
    if (times > 1) curve.push(...(await e.traceStep(pixels, [label], {}, times - 1)).logits.map((z) => lossFromLogits(z, label)));
    const { probs: probsBefore, loss: lossBefore } = await readingOf(s, pixels, label);
    const units = e.modelSizes![1]!;
    const before = (await e.weights())!.slice(0, IMAGE_PIXELS * units);
    const trace = await e.traceStep(pixels, [label], {}, 1);
    const { probs: probsAfter, loss: lossAfter } = await readingOf(s, pixels, label);
    curve.push(lossFromLogits(trace.layers.at(-1)!.sums, label), lossAfter);
    undo.version = trace.version;
    undo.steps += times;
    const config = { ...DEFAULT_CONFIG, ...e.info.config };
    const first = trace.layers[0]!;
    return {
      version: trace.version,
      session,
      sessionSteps: undo.steps,
      path: trace.path,
      backend: tf.getBackend(),
      activation: e.modelActivation!,
      optimizer: config.optimizer,
      learningRate: config.learningRate,
      stepSize: trace.stepSize,
      optimizerSteps: trace.optimizerSteps,
      dropout: config.dropout,
      label,
      input: first.input,
      layers: trace.layers.map((l) => ({
        units: l.units,
        sums: l.sums,
        outputs: l.outputs,
        deltas: l.deltas,
        biasGradient: l.biasGradient,
        biasChange: l.biasChange,
      })),
      outputError: trace.outputError,
      stepLoss: trace.loss,
      probsBefore,
      probsAfter,
      lossBefore,
      lossAfter,
      curve,
      firstLayer: { units, before, gradient: first.weightGradient, change: first.weightChange },
    };
  },

  async undoSteps(s, { session }) {
    const changed = undos.get(s)?.session === session;
    const undo = current(s, session);
    if (!undo) {
      const reason = changed ? 'modelChanged' : 'nothingToUndo';
      return { version: s.engine.version, undone: 0, reason };
    }
    undos.delete(s);
    const info = await s.engine.restoreModel(undo.copy);
    return { version: info.version, undone: undo.steps, reason: null };
  },

  async trainingExample(s, { index }) {
    const train = s.requireData().train;
    const i = index % train.count;
    const pixels = Float32Array.from(train.images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), (b) => b / 255);
    return { index: i, pixels, label: train.labels[i]! };
  },
};
