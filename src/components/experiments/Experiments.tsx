/**
 * The experiments section's door: the run history is watched from the first render (useRunHistory,
 * light), while the views (list, comparison chart with recharts, the Python round trip) load in their
 * own chunk after the first paint, with a placeholder of their size meanwhile.
 */
import { lazy, Suspense } from 'react';
import type { ConfigForm } from '../../client/useConfigForm';
import { useRunHistory } from '../../client/useRunHistory';
import type { TrainerApi } from '../../client/useTrainer';

const loadShipped = () => import('./shippedRun').then((m) => m.SHIPPED_RUN);
const LazyView = lazy(() => import('./ExperimentsView').then((m) => ({ default: m.ExperimentsView })));

export interface ExperimentsProps {
  trainer: TrainerApi;
  /** The hyperparameter form: its configuration (to tell fine-tunes apart) and "Run again"'s setter. */
  form: Pick<ConfigForm, 'config' | 'setConfig'>;
}

export function Experiments({ trainer, form }: ExperimentsProps) {
  const { history, snapshot } = useRunHistory(trainer.state, form.config, loadShipped);
  return (
    <Suspense fallback={<div className="experiments-placeholder" aria-busy="true" />}>
      <LazyView trainer={trainer} form={form} history={history} snapshot={snapshot} />
    </Suspense>
  );
}
