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
import { msg } from '../i18n/message';
import type { ComponentProps, ReactNode } from 'react';
import { lazyChunk } from '../client/lazyChunk';
import type { Curves as CurvesView } from './Curves';
import type { InsightSection as InsightView } from './insight/InsightSection';
import { ChartFrame } from './ChartFrame';
import { ChunkView } from './ChunkView';

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
