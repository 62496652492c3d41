import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { memo, useMemo, useSyncExternalStore } from 'react';
import type { BatchPoint, EpochMetrics } from '../client/trainerState';
import { CHART_HEIGHT, ChartFrame, type ChartKind } from './ChartFrame';
import { decimate, MAX_CHART_POINTS } from './chart/decimate';
import { msg, tr, type Msg } from '../i18n/message';
import { formatNumber, formatPercent } from '../i18n/format';
import { LineChart, type ChartPoint, type ChartSeries } from './chart/LineChart';

interface Props {
  batches: BatchPoint[];
  epochs: EpochMetrics[];
  totalEpochs: number;
}

/**
 * Live loss and accuracy curves: x in (fractional) epochs; training per batch, validation per
 * epoch. The training series are decimated to at most MAX_CHART_POINTS for drawing (the state
 * keeps the fuller series); the views re-render only when the points change.
 */
export const Curves = memo(function Curves({ batches, epochs, totalEpochs }: Props) {
  const { t } = useTranslation();
  const palette = usePalette();
  return (
    <section
      className="panel curves"
      aria-label={t('curves.region')}
      data-testid="curves"
      data-points={batches.length}
      data-epochs={epochs.length}
    >
      <ChartFrame kind="loss" summary={chartSummary(t, 'loss', batches, epochs)} legend={<Legend kind="loss" palette={palette} />}>
        <Chart batches={batches} epochs={epochs} totalEpochs={totalEpochs} kind="loss" palette={palette} />
      </ChartFrame>
      <ChartFrame
        kind="accuracy"
        summary={chartSummary(t, 'accuracy', batches, epochs)}
        legend={<Legend kind="accuracy" palette={palette} />}
      >
        <Chart batches={batches} epochs={epochs} totalEpochs={totalEpochs} kind="accuracy" palette={palette} />
      </ChartFrame>
    </section>
  );
});

/**
 * The latest values in words, e.g. "Latest: training 0.2134 (epoch 2.5), validation 0.1987 (after epoch 2)."
 * (the text alternative of the chart).
 */
export function chartSummary(t: TFunction, kind: ChartKind, batches: BatchPoint[], epochs: EpochMetrics[]): string {
  const fmt = kind === 'loss' ? (v: number) => formatNumber(v, 4) : (v: number) => formatPercent(v);
  const lastBatch = batches.at(-1);
  const lastEpoch = epochs.at(-1);
  if (!lastBatch && !lastEpoch) return t('curves.noPoints');
  const parts: Msg[] = [];
  if (lastBatch)
    parts.push(msg('curves.trainingPart', { value: fmt(kind === 'loss' ? lastBatch.loss : lastBatch.accuracy), epoch: lastBatch.epoch }));
  if (lastEpoch)
    parts.push(
      msg('curves.validationPart', { value: fmt(kind === 'loss' ? lastEpoch.valLoss : lastEpoch.valAccuracy), epoch: lastEpoch.epoch }),
    );
  return tr(t, msg('curves.latest', { parts }));
}

/** Line and axis colours for the dark and the light theme (SVG attributes cannot read CSS variables). */
const PALETTES = {
  dark: { train: '#fbbf24', raw: '#fde68a', val: '#38bdf8', grid: '#26304f', axis: '#9aa3bd' },
  light: { train: '#d97706', raw: '#b45309', val: '#0284c7', grid: '#cbd3e2', axis: '#4c5570' },
} as const;
type Palette = (typeof PALETTES)[keyof typeof PALETTES];

const LIGHT_QUERY = '(prefers-color-scheme: light)';
function subscribeScheme(onChange: () => void): () => void {
  const mq = window.matchMedia?.(LIGHT_QUERY);
  mq?.addEventListener('change', onChange);
  return () => mq?.removeEventListener('change', onChange);
}
const prefersLight = () => window.matchMedia?.(LIGHT_QUERY).matches ?? false;
export function usePalette(): Palette {
  return PALETTES[useSyncExternalStore(subscribeScheme, prefersLight) ? 'light' : 'dark'];
}

/** How each line looks, shared by the chart and its legend (so the legend shows the same strokes). */
function lineStyles(t: TFunction, palette: Palette) {
  return {
    raw: { name: t('curves.raw'), color: palette.raw, width: 1, opacity: 0.55, dash: '2 3' },
    train: { name: t('curves.train'), color: palette.train, width: 2.5 },
    val: { name: t('curves.val'), color: palette.val, width: 2 },
  } as const;
}

function Legend({ kind, palette }: { kind: ChartKind; palette: Palette }) {
  const { t } = useTranslation();
  const styles = lineStyles(t, palette);
  const shown = kind === 'loss' ? [styles.train, styles.raw, styles.val] : [styles.train, styles.val];
  return (
    <ul className="chart-legend" aria-hidden="true">
      {shown.map((s) => (
        <li key={s.name}>
          <svg width="22" height="10">
            <line
              x1="1"
              x2="21"
              y1="5"
              y2="5"
              stroke={s.color}
              strokeWidth={s.width}
              strokeOpacity={'opacity' in s ? s.opacity : 1}
              strokeDasharray={'dash' in s ? s.dash : undefined}
            />
          </svg>
          {s.name}
        </li>
      ))}
    </ul>
  );
}

const lossFormat = (v: number) => v.toFixed(2);
const lossValue = (v: number) => v.toFixed(4);
const accFormat = (v: number) => `${Math.round(v * 100)}%`;
const accValue = (v: number) => `${(v * 100).toFixed(1)}%`;

const Chart = memo(function Chart({ batches, epochs, totalEpochs, kind, palette }: Props & { kind: ChartKind; palette: Palette }) {
  const { t } = useTranslation();
  const series = useMemo(() => {
    const styles = lineStyles(t, palette);
    const pick = (f: (b: BatchPoint) => number): ChartPoint[] => {
      const shown = decimate(batches, MAX_CHART_POINTS, f);
      return shown.map((b) => ({ x: b.epoch, y: f(b) }));
    };
    const val = epochs.map((e) => ({ x: e.epoch, y: kind === 'loss' ? e.valLoss : e.valAccuracy }));
    const out: ChartSeries[] = [];
    if (kind === 'loss') out.push({ key: 'raw', ...styles.raw, points: pick((b) => b.rawLoss) });
    out.push({ key: 'train', ...styles.train, points: pick(kind === 'loss' ? (b) => b.loss : (b) => b.accuracy) });
    out.push({ key: 'val', ...styles.val, points: val, dots: val.length <= 30 });
    return out;
  }, [batches, epochs, kind, palette, t]);
  return (
    <LineChart
      series={series}
      xMax={Math.max(1, totalEpochs)}
      yDomain={kind === 'loss' ? 'zero' : 'accuracy'}
      yFormat={kind === 'loss' ? lossFormat : accFormat}
      valueFormat={kind === 'loss' ? lossValue : accValue}
      xLabel={t('curves.xLabel')}
      height={CHART_HEIGHT}
      empty={t(`curves.empty.${kind}`)}
      axisColor={palette.axis}
      gridColor={palette.grid}
    />
  );
});
