import { useTranslation } from 'react-i18next';
import { memo, useLayoutEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import { niceDomain, niceTicks } from './ticks';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartSeries {
  key: string;
  /** As the legend and the hover readout name it. */
  name: string;
  /** In x order; a few hundred at most (decimate first). */
  points: readonly ChartPoint[];
  color: string;
  /** Line width, px. */
  width: number;
  opacity?: number;
  /** SVG dash pattern, e.g. "2 3". */
  dash?: string;
  /** A dot on each point (for a handful of points, e.g. one per epoch). */
  dots?: boolean;
}

export interface LineChartProps {
  series: readonly ChartSeries[];
  /** The x axis runs from 0 to this (e.g. the run's epochs). */
  xMax: number;
  /** Fixed [min, max], or `zero`: from 0 to the data's round maximum, or `accuracy`: from the data's tenth below to 1. */
  yDomain: [number, number] | 'zero' | 'accuracy';
  yFormat(v: number): string;
  /** Readout of a value on hover (more digits than the axis). */
  valueFormat(v: number): string;
  xLabel: string;
  height: number;
  /** Shown in the plot area while no series has a point. */
  empty: string;
  axisColor: string;
  gridColor: string;
}

const MARGIN = { top: 8, right: 12, bottom: 24, left: 44 };

/** Index of the point nearest to x (points in x order). */
function nearest(points: readonly ChartPoint[], x: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.x < x) lo = mid;
    else hi = mid;
  }
  return Math.abs(points[lo]!.x - x) <= Math.abs(points[hi]!.x - x) ? lo : hi;
}

function yRange(series: readonly ChartSeries[], mode: LineChartProps['yDomain']): [number, number] {
  if (Array.isArray(mode)) return mode;
  let min = Infinity;
  let max = -Infinity;
  for (const s of series)
    for (const p of s.points)
      if (Number.isFinite(p.y)) {
        if (p.y < min) min = p.y;
        if (p.y > max) max = p.y;
      }
  if (mode === 'accuracy') return [Number.isFinite(min) ? Math.max(0, Math.floor(min * 10) / 10) : 0, 1];
  return [0, Number.isFinite(max) && max > 0 ? niceDomain(0, max, 4)[1] : 1];
}

/**
 * A light line chart in SVG: grid, round ticks, one path per series, and a readout of the
 * nearest values under the pointer. Redrawing it is a few path strings, so it can follow a
 * live run a few times a second without a long task; it draws what it is given (decimate first).
 */
export const LineChart = memo(function LineChart(props: LineChartProps) {
  const { t } = useTranslation();
  const { series, xMax, height } = props;
  const boxRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [hoverX, setHoverX] = useState<number | null>(null);

  useLayoutEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    setWidth(box.clientWidth);
    const ro = new ResizeObserver((entries) => {
      const w = entries.at(-1)?.contentRect.width;
      if (w !== undefined) setWidth(Math.round(w));
    });
    ro.observe(box);
    return () => ro.disconnect();
  }, []);

  const plotW = Math.max(1, width - MARGIN.left - MARGIN.right);
  const plotH = Math.max(1, height - MARGIN.top - MARGIN.bottom);
  const x1 = Math.max(1, xMax);
  const [y0, y1] = useMemo(() => yRange(series, props.yDomain), [series, props.yDomain]);
  const sx = (x: number) => MARGIN.left + (x / x1) * plotW;
  const sy = (y: number) => MARGIN.top + (1 - (Math.min(Math.max(y, y0), y1) - y0) / (y1 - y0 || 1)) * plotH;

  const xTicks = useMemo(() => (x1 <= 12 ? Array.from({ length: Math.floor(x1) + 1 }, (_, i) => i) : niceTicks(0, x1, 6)), [x1]);
  const yTicks = useMemo(() => niceTicks(y0, y1, 4), [y0, y1]);
  const empty = series.every((s) => s.points.length === 0);

  const paths = series.map((s) => {
    let d = '';
    for (let i = 0; i < s.points.length; i++) {
      const p = s.points[i]!;
      if (!Number.isFinite(p.y)) continue;
      d += `${d ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
    }
    return d;
  });

  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - r.left - MARGIN.left) / plotW) * x1;
    setHoverX(x >= 0 && x <= x1 ? x : null);
  };
  const readout =
    hoverX === null || empty
      ? null
      : series
          .filter((s) => s.points.length > 0)
          .map((s) => ({ s, p: s.points[nearest(s.points, hoverX)]! }))
          .filter(({ p }) => Math.abs(p.x - hoverX) <= x1 / 8);

  return (
    <div className="line-chart" ref={boxRef} style={{ height }}>
      {width > 0 && (
        <svg width={width} height={height} aria-hidden="true" onPointerMove={onMove} onPointerLeave={() => setHoverX(null)}>
          <g stroke={props.gridColor} strokeDasharray="3 3">
            {yTicks.map((t) => (
              <line key={`y${t}`} x1={MARGIN.left} x2={MARGIN.left + plotW} y1={sy(t)} y2={sy(t)} />
            ))}
            {xTicks.map((t) => (
              <line key={`x${t}`} x1={sx(t)} x2={sx(t)} y1={MARGIN.top} y2={MARGIN.top + plotH} />
            ))}
          </g>
          <g fill={props.axisColor} fontSize={12}>
            {yTicks.map((t) => (
              <text key={t} x={MARGIN.left - 6} y={sy(t)} textAnchor="end" dominantBaseline="middle">
                {props.yFormat(t)}
              </text>
            ))}
            {xTicks.map((t) => (
              <text key={t} x={sx(t)} y={MARGIN.top + plotH + 15} textAnchor="middle">
                {Number.isInteger(t) ? t : t.toFixed(1)}
              </text>
            ))}
            <text x={MARGIN.left + plotW} y={height - 1} textAnchor="end" fontSize={11}>
              {props.xLabel}
            </text>
          </g>
          {series.map((s, i) => (
            <g key={s.key}>
              <path
                d={paths[i]}
                fill="none"
                stroke={s.color}
                strokeWidth={s.width}
                strokeOpacity={s.opacity ?? 1}
                strokeDasharray={s.dash}
                strokeLinejoin="round"
              />
              {s.dots && s.points.map((p) => <circle key={p.x} cx={sx(p.x)} cy={sy(p.y)} r={3.5} fill={s.color} stroke="var(--panel)" />)}
            </g>
          ))}
          {readout && readout.length > 0 && (
            <line x1={sx(hoverX!)} x2={sx(hoverX!)} y1={MARGIN.top} y2={MARGIN.top + plotH} stroke={props.axisColor} strokeOpacity={0.5} />
          )}
        </svg>
      )}
      {empty && (
        <p className="chart-empty muted" style={{ left: MARGIN.left, right: MARGIN.right, top: MARGIN.top, height: plotH }}>
          {props.empty}
        </p>
      )}
      {readout && readout.length > 0 && (
        <div className="chart-readout" style={{ left: Math.min(sx(hoverX!) + 8, Math.max(MARGIN.left, width - 170)) }}>
          <div className="muted">{t('curves.readout', { x: hoverX! })}</div>
          {readout.map(({ s, p }) => (
            <div key={s.key}>
              <span className="chart-swatch" style={{ background: s.color }} /> {s.name}: {props.valueFormat(p.y)}
            </div>
          ))}
        </div>
      )}
    </div>
  );
});
