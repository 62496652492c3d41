import { useId, type ReactNode } from 'react';

export type ChartKind = 'loss' | 'accuracy';

/** Each chart's title and what it shows, in plain words (shared by the chart and its placeholder). */
export const CHART_TEXT: Record<ChartKind, { title: string; caption: string }> = {
  loss: {
    title: 'Loss (cross-entropy)',
    caption:
      'How wrong the network is on average: lower is better. Amber: the training images as it learns from them (faint: each batch). Blue: validation images it never learns from, checked after each epoch. If blue turns up while amber keeps falling, it is memorising instead of learning.',
  },
  accuracy: {
    title: 'Accuracy',
    caption: 'Share of images it reads right. The blue validation line is the honest one: images it has not seen while learning.',
  },
};

/** The chart's height in px (the placeholder reserves the same). */
export const CHART_HEIGHT = 220;

/**
 * One titled chart: heading, the chart (or an empty box of its height), a one-line text
 * summary of the latest values, and a caption. The group is named by its heading and
 * described by the summary, so a screen reader gets the figures the picture shows.
 */
export function ChartFrame({ kind, summary, children }: { kind: ChartKind; summary: string; children?: ReactNode }) {
  const id = useId();
  const text = CHART_TEXT[kind];
  return (
    <div className="chart" role="group" aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`} data-testid={`chart-${kind}`}>
      <h2 id={`${id}-title`}>{text.title}</h2>
      {children ?? <div className="chart-box" style={{ height: CHART_HEIGHT }} />}
      <p className="chart-summary" id={`${id}-summary`} data-testid={`chart-summary-${kind}`}>
        {summary}
      </p>
      <p className="chart-caption muted">{text.caption}</p>
    </div>
  );
}
