import type { RunSummary } from '../shared/protocol';
import { DEFAULT_CONFIG, formatParam, PARAMS, type TrainConfig } from '../shared/trainConfig';

/**
 * The run trained the reference recipe: every hyperparameter as in DEFAULT_CONFIG (the backend
 * aside: it changes the speed, not the result), and it ran all its epochs from fresh weights.
 */
export function isReferenceRun(config: TrainConfig | null, run: Pick<RunSummary, 'outcome' | 'epochsRun'> | null): boolean {
  if (!config || !run || run.outcome !== 'completed') return false;
  if (Math.round(run.epochsRun) !== DEFAULT_CONFIG.epochs) return false;
  return PARAMS.every((p) => p.key === 'backend' || formatParam(p.key, config[p.key]) === formatParam(p.key, DEFAULT_CONFIG[p.key]));
}
