/**
 * The curves (recharts, over half of the page's own code) and the insight
 * views, loaded in their own chunks after the first render, so the page paints
 * without them. Each stands in with a placeholder of the same size meanwhile,
 * so nothing moves when they arrive. A chunk that fails to fetch (a network
 * blip while the page loads) is retried (client/lazyChunk.ts); if it still
 * fails, the placeholder says so with a Retry button: the rest of the page
 * goes on working.
 */
import { useTranslation } from 'react-i18next';
import { msg, tr } from '../i18n/message';
import { useEffect, useSyncExternalStore, type ComponentProps, type ComponentType, type ReactNode } from 'react';
import { lazyChunk, type Chunk } from '../client/lazyChunk';
import type { Curves as CurvesView } from './Curves';
import type { InsightSection as InsightView } from './insight/InsightSection';
import { ChartFrame } from './ChartFrame';

const curvesChunk = lazyChunk(
  () => import('./Curves'),
  (m) => m.Curves,
  msg('errors.chunk.curves'),
);
const insightChunk = lazyChunk(
  () => import('./insight/InsightSection'),
  (m) => m.InsightSection,
  msg('errors.chunk.insight'),
);

/** Renders `chunk`'s component with `props` once loaded; `placeholder` (given the failure, if any) meanwhile. */
function ChunkView<P extends object>({
  chunk,
  props,
  placeholder,
}: {
  chunk: Chunk<ComponentType<P>>;
  props: P;
  placeholder: (failure: ReactNode) => ReactNode;
}) {
  const { t } = useTranslation();
  const state = useSyncExternalStore(chunk.subscribe, chunk.state);
  useEffect(() => chunk.load(), [chunk]);
  if (state.status === 'loaded') {
    const View = state.value;
    return <View {...props} />;
  }
  return placeholder(
    state.status === 'failed' ? (
      <p className="notice lazy-failed" role="alert" data-testid="lazy-load-error">
        {tr(t, state.text)}{' '}
        <button type="button" data-testid="lazy-retry" onClick={() => chunk.load()}>
          {t('errors.retry')}
        </button>
      </p>
    ) : null,
  );
}

/** Same boxes as Curves: a panel with two charts' frames (title, empty box of the chart's height, summary, caption). */
function CurvesPlaceholder({ failure }: { failure: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="panel curves" aria-label={t('curves.region')} aria-busy={failure ? undefined : 'true'}>
      {failure}
      <ChartFrame kind="loss" summary={t('curves.noPoints')} />
      <ChartFrame kind="accuracy" summary={t('curves.noPoints')} />
    </section>
  );
}

export function Curves(props: ComponentProps<typeof CurvesView>) {
  return <ChunkView chunk={curvesChunk} props={props} placeholder={(failure) => <CurvesPlaceholder failure={failure} />} />;
}

export function InsightSection(props: ComponentProps<typeof InsightView>) {
  return (
    <ChunkView
      chunk={insightChunk}
      props={props}
      placeholder={(failure) => (
        <div className="insight-placeholder" aria-busy={failure ? undefined : 'true'}>
          {failure}
        </div>
      )}
    />
  );
}
