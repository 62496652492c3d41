import { useTranslation } from 'react-i18next';
import { useId, type ReactNode } from 'react';

export type ChartKind = 'loss' | 'accuracy';

/** Each chart's title and what it shows, in plain words (shared by the chart and its placeholder): message keys. */
export const CHART_TEXT = {
  loss: { title: 'curves.loss', caption: 'curves.lossCaption' },
  accuracy: { title: 'curves.accuracy', caption: 'curves.accuracyCaption' },
} as const satisfies Record<ChartKind, { title: string; caption: string }>;

/** The chart's height in px (the placeholder reserves the same). */
export const CHART_HEIGHT = 140;

/**
 * One titled chart: heading (with its caption one click away: "What is this?") and legend, the
 * chart (or an empty box of its height), and a one-line text summary of the latest values. The group is named by its heading and
 * described by the summary, so a screen reader gets the figures the picture shows.
 */
export function ChartFrame({
  kind,
  summary,
  legend,
  children,
}: {
  kind: ChartKind;
  summary: string;
  legend?: ReactNode;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const text = CHART_TEXT[kind];
  return (
    <div className="chart" role="group" aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`} data-testid={`chart-${kind}`}>
      <div className="chart-head">
        <h2 id={`${id}-title`}>{t(text.title)}</h2>
        <details className="chart-about">
          <summary className="muted">{t('curves.about')}</summary>
          <p className="chart-caption">{t(text.caption)}</p>
        </details>
      </div>
      {legend ?? <span className="chart-legend" />}
      {children ?? <div className="line-chart" style={{ height: CHART_HEIGHT }} />}
      <p className="chart-summary" id={`${id}-summary`} data-testid={`chart-summary-${kind}`}>
        {summary}
      </p>
    </div>
  );
}
