import { memo, useEffect, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BatchPoint, EpochMetrics } from '../client/trainerState';
import { useThrottled } from '../client/useThrottled';

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
    <section className="panel curves" aria-label="Training curves" data-testid="curves" data-points={batches.length} data-epochs={epochs.length}>
      <div className="chart">
        <h2>Loss</h2>
        <Chart batches={batches} epochs={epochs} totalEpochs={props.totalEpochs} kind="loss" />
      </div>
      <div className="chart">
        <h2>Accuracy</h2>
        <Chart batches={accBatches} epochs={accEpochs} totalEpochs={props.totalEpochs} kind="accuracy" />
      </div>
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

const axisStyle = { fontSize: 12, fill: '#9aa3bd' };
const epochTick = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

const Chart = memo(function Chart({ batches, epochs, totalEpochs, kind }: Props & { kind: 'loss' | 'accuracy' }) {
  const val = epochs.map((e) => ({ epoch: e.epoch, value: kind === 'loss' ? e.valLoss : e.valAccuracy }));
  const empty = batches.length === 0 && val.length === 0;
  return (
    <div className="chart-box">
      {empty && <p className="chart-empty muted">The {kind} curves appear here while the network trains.</p>}
      <ResponsiveContainer width="100%" height={220}>
        <LineChart margin={{ top: 8, right: 12, bottom: 4, left: -8 }}>
          <CartesianGrid stroke="#26304f" strokeDasharray="3 3" />
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
          />
          <Tooltip
            contentStyle={{ background: '#131a2e', border: '1px solid #26304f', fontSize: 12 }}
            labelFormatter={(v) => `epoch ${Number(v).toFixed(2)}`}
            formatter={(v) => (kind === 'accuracy' ? `${(Number(v) * 100).toFixed(1)}%` : Number(v).toFixed(4))}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {kind === 'loss' && (
            <Line data={batches} dataKey="rawLoss" name="training (raw)" stroke="#fbbf24" strokeOpacity={0.25} dot={false} isAnimationActive={false} strokeWidth={1} legendType="none" />
          )}
          <Line
            data={batches}
            dataKey={kind === 'loss' ? 'loss' : 'accuracy'}
            name="training"
            stroke="#fbbf24"
            dot={false}
            isAnimationActive={false}
            strokeWidth={2}
          />
          <Line data={val} dataKey="value" name="validation" stroke="#38bdf8" dot={{ r: 3 }} isAnimationActive={false} strokeWidth={2} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});
