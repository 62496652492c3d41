/**
 * The experiments section's door: the run history is watched from the first render (useRunHistory,
 * light), while the views (list, comparison chart with recharts, the Python round trip) load in their
 * own chunk after the first paint, with a placeholder of their size meanwhile. The chunk is fetched
 * with retries (client/lazyChunk.ts); if it still fails, the placeholder says so with Retry.
 */
import { lazyChunk } from '../../client/lazyChunk';
import { msg } from '../../i18n/message';
import { ChunkView } from '../ChunkView';
import type { ConfigForm } from '../../client/useConfigForm';
import { useRunHistory } from '../../client/useRunHistory';
import type { TrainerApi } from '../../client/useTrainer';

const loadShipped = () => import('./shippedRun').then((m) => m.SHIPPED_RUN);
const viewChunk = lazyChunk(
  () => import('./ExperimentsView'),
  (m) => m.ExperimentsView,
  msg('errors.chunk.experiments'),
);

export interface ExperimentsProps {
  trainer: TrainerApi;
  /** The hyperparameter form: its configuration (to tell fine-tunes apart) and "Run again"'s setter. */
  form: Pick<ConfigForm, 'config' | 'setConfig'>;
}

export function Experiments({ trainer, form }: ExperimentsProps) {
  const { history, snapshot } = useRunHistory(trainer.state, form.config, loadShipped);
  return (
    <ChunkView
      chunk={viewChunk}
      props={{ trainer, form, history, snapshot }}
      placeholder={(failure) => (
        <div className="experiments-placeholder" aria-busy={failure ? undefined : 'true'}>
          {failure}
        </div>
      )}
    />
  );
}
