import { memo, useEffect, useState, useSyncExternalStore } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BatchPoint, EpochMetrics } from '../client/trainerState';
import { useThrottled } from '../client/useThrottled';
import { CHART_HEIGHT, ChartFrame, type ChartKind } from './ChartFrame';

/** Chart re-renders at most this often while training streams points. */
const CHART_INTERVAL_MS = 300;

interface Props {
  batches: BatchPoint[];
  epochs: EpochMetrics[];
  totalEpochs: number;
}

/** Live loss and accuracy curves: x in (fractional) epochs; training per batch, validation per epoch. */
export function Curves(props: Props) {
  const batches = useThrottled(props.batches, CHART_INTERVAL_MS);
  const epochs = useThrottled(props.epochs, CHART_INTERVAL_MS);
  // The accuracy chart follows half an interval later, so the two charts never render in the same frame.
  const accBatches = useLagged(batches, CHART_INTERVAL_MS / 2);
  const accEpochs = useLagged(epochs, CHART_INTERVAL_MS / 2);
  return (
    <section
      className="panel curves"
      aria-label="Training curves"
      data-testid="curves"
      data-points={batches.length}
      data-epochs={epochs.length}
    >
      <ChartFrame kind="loss" summary={chartSummary('loss', batches, epochs)}>
        <Chart batches={batches} epochs={epochs} totalEpochs={props.totalEpochs} kind="loss" />
      </ChartFrame>
      <ChartFrame kind="accuracy" summary={chartSummary('accuracy', accBatches, accEpochs)}>
        <Chart batches={accBatches} epochs={accEpochs} totalEpochs={props.totalEpochs} kind="accuracy" />
      </ChartFrame>
    </section>
  );
}

/** `value`, `ms` later. */
function useLagged<T>(value: T, ms: number): T {
  const [lagged, setLagged] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setLagged(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return lagged;
}

/**
 * The latest values in words, e.g. "Latest: training 0.2134, validation 0.1987 after epoch 3 of 10."
 * (the text alternative of the chart).
 */
export function chartSummary(kind: ChartKind, batches: BatchPoint[], epochs: EpochMetrics[]): string {
  const fmt = kind === 'loss' ? (v: number) => v.toFixed(4) : (v: number) => `${(v * 100).toFixed(1)}%`;
  const lastBatch = batches.at(-1);
  const lastEpoch = epochs.at(-1);
  if (!lastBatch && !lastEpoch) return 'No points yet: the curves appear while the network trains.';
  const parts: string[] = [];
  if (lastBatch)
    parts.push(`training ${fmt(kind === 'loss' ? lastBatch.loss : lastBatch.accuracy)} at epoch ${lastBatch.epoch.toFixed(1)}`);
  if (lastEpoch)
    parts.push(`validation ${fmt(kind === 'loss' ? lastEpoch.valLoss : lastEpoch.valAccuracy)} after epoch ${lastEpoch.epoch}`);
  return `Latest: ${parts.join('; ')}.`;
}

/** Line and axis colours for the dark and the light theme (SVG attributes cannot read CSS variables). */
const PALETTES = {
  dark: { train: '#fbbf24', val: '#38bdf8', grid: '#26304f', axis: '#9aa3bd', tooltipBg: '#131a2e' },
  light: { train: '#d97706', val: '#0284c7', grid: '#cbd3e2', axis: '#4c5570', tooltipBg: '#ffffff' },
} as const;

const LIGHT_QUERY = '(prefers-color-scheme: light)';
function subscribeScheme(onChange: () => void): () => void {
  const mq = window.matchMedia?.(LIGHT_QUERY);
  mq?.addEventListener('change', onChange);
  return () => mq?.removeEventListener('change', onChange);
}
const prefersLight = () => window.matchMedia?.(LIGHT_QUERY).matches ?? false;

const epochTick = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

const Chart = memo(function Chart({ batches, epochs, totalEpochs, kind }: Props & { kind: ChartKind }) {
  const palette = PALETTES[useSyncExternalStore(subscribeScheme, prefersLight) ? 'light' : 'dark'];
  const axisStyle = { fontSize: 12, fill: palette.axis };
  const val = epochs.map((e) => ({ epoch: e.epoch, value: kind === 'loss' ? e.valLoss : e.valAccuracy }));
  const empty = batches.length === 0 && val.length === 0;
  return (
    <div className="chart-box">
      {empty && <p className="chart-empty muted">The {kind} curves appear here while the network trains.</p>}
      {/* No accessibility layer: the chart is not a tab stop; its figures are in the summary line. */}
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart margin={{ top: 8, right: 12, bottom: 4, left: kind === 'loss' ? 4 : -8 }} accessibilityLayer={false}>
          <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="epoch"
            domain={[0, Math.max(1, totalEpochs)]}
            ticks={totalEpochs <= 20 ? Array.from({ length: Math.max(1, totalEpochs) + 1 }, (_, i) => i) : undefined}
            tickFormatter={epochTick}
            interval={0}
            tick={axisStyle}
            allowDecimals
            label={{ value: 'epoch', position: 'insideBottomRight', offset: -2, style: axisStyle }}
          />
          <YAxis
            type="number"
            tick={axisStyle}
            width={48}
            interval={0}
            domain={kind === 'accuracy' ? [(min: number) => Math.max(0, Math.floor(min * 10) / 10), 1] : [0, 'auto']}
            tickFormatter={kind === 'accuracy' ? (v: number) => `${Math.round(v * 100)}%` : (v: number) => v.toFixed(2)}
            allowDataOverflow
            label={
              kind === 'loss'
                ? { value: 'cross-entropy', angle: -90, position: 'insideLeft', offset: 4, style: { ...axisStyle, textAnchor: 'middle' } }
                : undefined
            }
          />
          <Tooltip
            contentStyle={{ background: palette.tooltipBg, border: `1px solid ${palette.grid}`, fontSize: 12 }}
            labelFormatter={(v) => `epoch ${Number(v).toFixed(2)}`}
            formatter={(v) => (kind === 'accuracy' ? `${(Number(v) * 100).toFixed(1)}%` : Number(v).toFixed(4))}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {kind === 'loss' && (
            <Line
              data={batches}
              dataKey="rawLoss"
              name="each batch"
              stroke={palette.train}
              strokeOpacity={0.3}
              dot={false}
              isAnimationActive={false}
              strokeWidth={1}
            />
          )}
          <Line
            data={batches}
            dataKey={kind === 'loss' ? 'loss' : 'accuracy'}
            name="training"
            stroke={palette.train}
            dot={false}
            isAnimationActive={false}
            strokeWidth={2}
          />
          <Line
            data={val}
            dataKey="value"
            name="validation"
            stroke={palette.val}
            dot={{ r: 3 }}
            isAnimationActive={false}
            strokeWidth={2}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});
