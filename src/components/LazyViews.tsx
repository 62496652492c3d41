/**
 * The curves (recharts, over half of the page's own code) and the insight
 * views, loaded in their own chunks after the first render, so the page paints
 * without them. Each stands in with a placeholder of the same size meanwhile,
 * so nothing moves when they arrive.
 */
import { lazy, Suspense, type ComponentProps } from 'react';
import type { Curves as CurvesView } from './Curves';
import type { InsightSection as InsightView } from './insight/InsightSection';
import { ChartFrame } from './ChartFrame';

const LazyCurves = lazy(() => import('./Curves').then((m) => ({ default: m.Curves })));
const LazyInsight = lazy(() => import('./insight/InsightSection').then((m) => ({ default: m.InsightSection })));

/** Same boxes as Curves: a panel with two charts' frames (title, empty box of the chart's height, summary, caption). */
function CurvesPlaceholder() {
  return (
    <section className="panel curves" aria-label="Training curves" aria-busy="true">
      <ChartFrame kind="loss" summary={CURVES_LOADING} />
      <ChartFrame kind="accuracy" summary={CURVES_LOADING} />
    </section>
  );
}
const CURVES_LOADING = 'No points yet: the curves appear while the network trains.';

export function Curves(props: ComponentProps<typeof CurvesView>) {
  return (
    <Suspense fallback={<CurvesPlaceholder />}>
      <LazyCurves {...props} />
    </Suspense>
  );
}

export function InsightSection(props: ComponentProps<typeof InsightView>) {
  return (
    <Suspense fallback={<div className="insight-placeholder" aria-busy="true" />}>
      <LazyInsight {...props} />
    </Suspense>
  );
}
