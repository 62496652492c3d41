/**
 * A copy of a model for an Undo of steps taken by hand (the step view): its weights, optimizer state
 * and what a traced step may change, and putting it back exactly (the same outputs, the optimizer
 * running on from the same state). The engine owns the model; these are its two halves of the work.
 */
import type * as tf from '@tensorflow/tfjs';
import { assignFlat } from './mlp';
import type { Model } from './model';
import type { KeptOptimizer } from './stepper';

/** A copy of a model (Engine.copyModel): its weights [P] (mlp.ts layout), optimizer state and what a traced step may change. */
export interface ModelCopy {
  readonly model: Model;
  readonly flat: Float32Array;
  readonly optimizer: KeptOptimizer | null;
  readonly state: Pick<Model, 'norm' | 'config' | 'epochsTrained' | 'source' | 'loadedDescription' | 'testAccuracy' | 'stoppedAt'>;
}

/** Copies `m`, whose weights on the device are `params` and on the host `flat`. */
export function copyOf(m: Model, params: tf.Variable[], flat: Float32Array): ModelCopy {
  const optimizer = m.optimizer?.clone(params) ?? null;
  const { norm, config, epochsTrained, source, loadedDescription, testAccuracy, stoppedAt } = m;
  return { model: m, flat, optimizer, state: { norm, config, epochsTrained, source, loadedDescription, testAccuracy, stoppedAt } };
}

/**
 * Puts `copy` back into its model (weights on the device `params`); the copy is used up.
 * @param home where an optimizer state would continue now ('kernel' or the tf.js backend's name):
 *   a state left on another backend (a switch since) is not continued, as after any switch.
 * @returns whether the normaliser changed (the device's scaled data is then stale).
 */
export function restoreCopy(copy: ModelCopy, params: tf.Variable[], home: string): boolean {
  const m = copy.model;
  assignFlat(params, copy.flat);
  const normChanged = m.norm !== copy.state.norm;
  Object.assign(m, copy.state);
  m.optimizer?.dispose();
  m.optimizer = copy.optimizer?.backend === home ? copy.optimizer : null;
  if (copy.optimizer && !m.optimizer) copy.optimizer.dispose();
  return normChanged;
}
