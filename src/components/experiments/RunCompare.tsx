/**
 * Two or more runs' validation curves in one chart: one line per run (distinct colours, the legend
 * their names), accuracy or loss after each epoch. `data-series` says how many runs are drawn.
 */
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { formatNumber, formatPercent } from '../../i18n/format';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunRecord } from '../../client/runHistoryRecord';
import { useLightTheme } from './useLightTheme';

/** Runs compared at once (one colour each). */
export const MAX_COMPARED = 8;

/** Colours distinct in both themes (SVG attributes cannot read CSS variables). */
const COLOURS = {
  dark: ['#38bdf8', '#fbbf24', '#34d399', '#f472b6', '#a78bfa', '#fb923c', '#e5e7eb', '#f87171'],
  light: ['#0369a1', '#b45309', '#047857', '#be185d', '#6d28d9', '#c2410c', '#374151', '#b91c1c'],
} as const;
const AXIS = {
  dark: { grid: '#26304f', axis: '#9aa3bd', bg: '#131a2e' },
  light: { grid: '#cbd3e2', axis: '#4c5570', bg: '#ffffff' },
} as const;

type Metric = 'valAccuracy' | 'valLoss';

/** Axis ticks: "96%", "96.5%" (at most one decimal, none when whole). */
const tickPercent = () => new Intl.NumberFormat(currentLanguage(), { style: 'percent', maximumFractionDigits: 1 });

export const RunCompare = memo(function RunCompare({ runs, names }: { runs: RunRecord[]; names: Map<string, string> }) {
  const { t } = useTranslation();
  const [metric, setMetric] = useState<Metric>('valAccuracy');
  const theme = useLightTheme() ? 'light' : 'dark';
  const drawn = runs.filter((r) => r.epochs.length > 0);
  const missing = runs.filter((r) => r.epochs.length === 0);
  const maxEpoch = Math.max(1, ...drawn.map((r) => r.epochs.at(-1)!.epoch));
  const axisStyle = { fontSize: 12, fill: AXIS[theme].axis };
  const accuracy = metric === 'valAccuracy';
  // The axis fits the validation points; the faint training curves may run off it (they start far lower).
  const values = drawn.flatMap((r) => r.epochs.map((e) => e[metric]));
  const domain: [number, number] = accuracy
    ? [Math.max(0, Math.floor((Math.min(...values) - 0.01) * 50) / 50), 1]
    : [0, Math.ceil(Math.max(...values) * 1.25 * 20) / 20 || 1];
  const summary = drawn
    .map((r) => {
      const last = r.epochs.at(-1)!;
      return t('experiments.compareSummary', {
        name: names.get(r.id),
        value: accuracy ? formatPercent(last.valAccuracy, 1) : formatNumber(last.valLoss, 4),
        epoch: last.epoch,
      });
    })
    .join(t('experiments.summarySeparator'));
  return (
    <div
      className="run-compare"
      role="group"
      aria-labelledby="run-compare-title"
      aria-describedby="run-compare-summary"
      data-testid="run-compare"
      data-series={drawn.length}
    >
      <div className="insight-head">
        <h3 id="run-compare-title">
          {t('experiments.compareTitle')}: {accuracy ? t('experiments.compareAccuracy') : t('experiments.compareLoss')}
        </h3>
        <div className="segmented" role="radiogroup" aria-label={t('experiments.curve')}>
          {(['valAccuracy', 'valLoss'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={metric === m}
              className={metric === m ? '' : 'secondary'}
              onClick={() => setMetric(m)}
              data-testid={`run-compare-${m === 'valAccuracy' ? 'accuracy' : 'loss'}`}
            >
              {m === 'valAccuracy' ? t('experiments.compareAccuracy') : t('experiments.compareLoss')}
            </button>
          ))}
        </div>
      </div>
      <div className="chart-box">
        <ResponsiveContainer width="100%" height={260}>
          <LineChart margin={{ top: 8, right: 12, bottom: 4, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke={AXIS[theme].grid} strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="epoch"
              domain={[0, Math.ceil(maxEpoch)]}
              allowDecimals={false}
              tick={axisStyle}
              label={{ value: t('experiments.epochAxis'), position: 'insideBottomRight', offset: -2, style: axisStyle }}
            />
            <YAxis
              type="number"
              tick={axisStyle}
              width={56}
              domain={domain}
              tickFormatter={accuracy ? (v: number) => tickPercent().format(v) : (v: number) => formatNumber(v, 2)}
              allowDataOverflow
            />
            <Tooltip
              contentStyle={{ background: AXIS[theme].bg, border: `1px solid ${AXIS[theme].grid}`, fontSize: 12 }}
              labelFormatter={(v) => t('experiments.epochTooltip', { epoch: Number(v) })}
              formatter={(v) => (accuracy ? formatPercent(Number(v), 2) : formatNumber(Number(v), 4))}
            />
            {/* Faint, behind: each run's training curve per step (smoothed), in its colour, out of the legend. */}
            {drawn.map((r, i) => (
              <Line
                key={`${r.id}-steps`}
                data={r.steps}
                dataKey={accuracy ? 'accuracy' : 'loss'}
                name={t('experiments.trainingCurve', { name: names.get(r.id) })}
                legendType="none"
                stroke={COLOURS[theme][i % COLOURS[theme].length]}
                strokeOpacity={0.3}
                strokeWidth={1}
                dot={false}
                isAnimationActive={false}
              />
            ))}
            {drawn.map((r, i) => (
              <Line
                key={r.id}
                data={r.epochs}
                dataKey={metric}
                name={names.get(r.id)}
                stroke={COLOURS[theme][i % COLOURS[theme].length]}
                strokeWidth={2}
                dot={{ r: 3 }}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {/* The legend in HTML, not recharts' (whose icons are named in English for screen readers). */}
      <ul className="run-compare-legend" aria-hidden="true">
        {drawn.map((r, i) => (
          <li key={r.id}>
            <span className="run-compare-swatch" style={{ background: COLOURS[theme][i % COLOURS[theme].length] }} />
            {names.get(r.id)}
          </li>
        ))}
      </ul>
      <p className="chart-summary" id="run-compare-summary">
        {summary}
        {missing.length > 0 &&
          ` ${t('experiments.notDrawn', { names: missing.map((r) => names.get(r.id)).join(t('insight.listSeparator')) })}`}
      </p>
      <p className="chart-caption muted">{t('experiments.compareCaption')}</p>
    </div>
  );
});
