import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInteger, formatPercent } from '../../i18n/format';
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../../shared/constants';
import type { Inspection } from '../../shared/protocol';
import { unitScale, weightsToRgba } from '../../shared/weightImages';
import { litLevels, pixelPush, saliencyRgba, towardsShare } from './thinkImages';
import { PixelCanvas } from '../PixelCanvas';
import './think.css';

export interface ThinkPanelProps {
  /** How the current model reads one input (useTrainer.inspect). */
  inspect(pixels: Float32Array): Promise<Inspection>;
  /** The pad's 28x28 input ([784] 0..1); a new array only when the drawing changed. Null when empty. */
  input: Float32Array | null;
  /** Changes whenever the weights change (new model, a few times a second while training). */
  modelKey: string;
  /** First-layer weights [units * 784] (state.firstLayer), for the unit pictures. */
  firstLayer: { units: number; weights: Float32Array } | null;
  /** Training step of the run under way, or null when nothing trains (the history gains points only while training). */
  trainingStep: number | null;
  /**
   * The panel is on screen. While training off screen its pictures are not redrawn (the reading still
   * feeds the history, a record of the run); a new drawing or model is drawn at once either way.
   */
  live?: boolean;
}

/** One point of the prediction history: the step and the ten probabilities there. */
interface HistoryPoint {
  step: number;
  probs: Float32Array;
}

/** Points kept in the history (older ones are thinned). */
const MAX_HISTORY = 200;
/** Tile of one unit in the activation grid, px (a 28-px picture and a 2-px gap). */
const TILE = 30;
const COLUMNS = 8;
/** One colour per digit, each readable on the dark and the light panel. */
const DIGIT_COLOURS = ['#ef4444', '#f97316', '#eab308', '#84cc16', '#10b981', '#06b6d4', '#3b82f6', '#8b5cf6', '#ec4899', '#94a3b8'];

/**
 * "See it think": for the drawing on the pad, the first layer's units lit by how
 * strongly they respond (each over its weight picture), the second layer and the
 * outputs as bars, a saliency overlay on the 28x28 input, and, while training, the
 * drawing's ten probabilities over the steps.
 */
export const ThinkPanel = memo(function ThinkPanel({ inspect, input, modelKey, firstLayer, trainingStep, live = true }: ThinkPanelProps) {
  const { t } = useTranslation();
  const [seen, setSeen] = useState<{ input: Float32Array; result: Inspection } | null>(null);
  /** The history of one drawing (a new drawing starts a new one). */
  const [track, setTrack] = useState<{ input: Float32Array | null; points: HistoryPoint[] }>({ input: null, points: [] });
  const gridRef = useRef<HTMLCanvasElement>(null);
  const stepRef = useRef(trainingStep);
  useEffect(() => {
    stepRef.current = trainingStep;
  }, [trainingStep]);

  const asked = useRef(0);
  const training = trainingStep !== null;
  useEffect(() => {
    const n = ++asked.current;
    if (!input) return;
    inspect(input).then(
      (result) => {
        if (n !== asked.current) return;
        // While training off screen only the history takes the reading (no repaint twice a second unseen).
        if (live || !training) setSeen({ input, result });
        const step = stepRef.current;
        if (step === null || !result.probs) return;
        const probs = result.probs;
        setTrack((t) => {
          const h = t.input === input ? t.points : [];
          const last = h.at(-1);
          if (last && step <= last.step) return { input, points: step < last.step ? [{ step, probs }] : h }; // a new run starts over
          const next = [...h, { step, probs }];
          // Thin the older half when full, so a long run still fits.
          return {
            input,
            points:
              next.length > MAX_HISTORY
                ? [...next.slice(0, MAX_HISTORY / 2).filter((_, i) => i % 2 === 0), ...next.slice(MAX_HISTORY / 2)]
                : next,
          };
        });
      },
      () => {},
    );
  }, [input, modelKey, inspect, live, training]);

  // What is shown: the last reading while the pad has a drawing; the history of this drawing only.
  const shown = input ? seen : null;
  const history = track.input === input ? track.points : [];
  const result = shown?.result ?? null;
  const push = useMemo(() => (shown?.result.gradient ? pixelPush(shown.result.gradient, shown.input) : null), [shown]);
  const first = result?.hidden[0] ?? null;
  const firstLit = useMemo(() => (first ? litLevels(first) : null), [first]);
  const units = firstLit?.length ?? 0;
  const rows = Math.ceil(units / COLUMNS);

  // The first layer: each unit's weight picture, darkened unless the unit responds.
  useEffect(() => {
    const canvas = gridRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (!firstLit) return;
    const weights = firstLayer && firstLayer.units === units ? firstLayer.weights : null;
    const image = new ImageData(IMAGE_SIZE, IMAGE_SIZE);
    for (let u = 0; u < units; u++) {
      const x = (u % COLUMNS) * TILE + 1;
      const y = Math.floor(u / COLUMNS) * TILE + 1;
      const level = firstLit[u]!;
      if (weights) {
        weightsToRgba(weights, u, unitScale(weights, u), image.data);
        ctx.putImageData(image, x, y);
      } else {
        ctx.fillStyle = '#fff';
        ctx.fillRect(x, y, IMAGE_SIZE, IMAGE_SIZE);
      }
      // Lit: the picture as is, framed in the accent colour; silent: nearly black.
      ctx.fillStyle = `rgba(0, 0, 0, ${(0.88 * (1 - level)).toFixed(3)})`;
      ctx.fillRect(x, y, IMAGE_SIZE, IMAGE_SIZE);
      if (level > 0) {
        ctx.strokeStyle = `rgba(251, 191, 36, ${level.toFixed(3)})`;
        ctx.lineWidth = 2;
        ctx.strokeRect(x - 0.5, y - 0.5, IMAGE_SIZE + 1, IMAGE_SIZE + 1);
      }
    }
  }, [firstLit, firstLayer, units]);

  const saliency = useMemo(
    () => saliencyRgba(push ?? new Float32Array(IMAGE_PIXELS), shown?.input ?? new Float32Array(IMAGE_PIXELS)),
    [push, shown],
  );

  const predicted = result?.predicted ?? -1;
  const activeUnits = firstLit ? Array.from(firstLit).filter((v) => v > 0).length : 0;
  const second = result?.hidden[1] ?? null;
  const secondLit = useMemo(() => (second ? litLevels(second) : null), [second]);

  return (
    <section className="panel think" aria-labelledby="think-title" data-testid="see-it-think">
      <h2 id="think-title">{t('think.title')}</h2>
      {!input && <p className="muted">{t('think.empty')}</p>}
      {/* Without a model the worker says why in English: the page says it by code (translated). */}
      {input && !result?.probs && <p className="muted">{result ? t('think.noModel') : t('think.reading')}</p>}
      <div className="think-grid" hidden={!result?.probs}>
        <figure className="think-layer">
          <canvas
            ref={gridRef}
            width={COLUMNS * TILE}
            height={Math.max(1, rows) * TILE}
            className="think-activations"
            data-testid="activation-grid"
            data-units={units}
            data-active={activeUnits}
            role="img"
            aria-label={t('think.layer1Label', { active: activeUnits, units })}
          />
          <figcaption>{t('think.layer1', { active: activeUnits, units })}</figcaption>
        </figure>
        <div className="think-side">
          {secondLit && (
            <figure className="think-layer">
              <div className="think-bars" data-testid="layer2-bars" aria-hidden="true">
                {Array.from(secondLit, (v, i) => (
                  <span key={i} style={{ height: `${Math.round(v * 100)}%` }} />
                ))}
              </div>
              <figcaption>{t('think.layer2', { units: secondLit.length })}</figcaption>
            </figure>
          )}
          {result?.probs && (
            <figure className="think-layer">
              <div className="think-outputs" data-testid="output-bars">
                {Array.from(result.probs, (p, d) => (
                  <div key={d} className={d === predicted ? 'think-out top' : 'think-out'}>
                    <span className="think-out-bar" style={{ height: `${Math.max(1, Math.round(p * 100))}%` }} />
                    <span className="think-out-digit">{d}</span>
                  </div>
                ))}
              </div>
              <figcaption>{t('think.outputs', { digit: predicted })}</figcaption>
            </figure>
          )}
          <figure className="think-layer">
            <PixelCanvas
              rgba={saliency}
              className="think-saliency"
              testId="saliency-map"
              role="img"
              aria-label={
                push ? t('think.saliencyLabel', { share: formatPercent(towardsShare(push), 0), digit: predicted }) : t('think.saliency')
              }
            />
            <figcaption>
              {t('think.whichInk', { digit: predicted })} <span className="think-towards">{t('think.towards')}</span>
              {t('insight.listSeparator')}
              <span className="think-against">{t('think.against')}</span>
            </figcaption>
          </figure>
        </div>
      </div>
      <PredictionHistory points={history} predicted={predicted} />
    </section>
  );
});

/** The drawing's ten probabilities over the training steps, one line per digit, with axes. */
function PredictionHistory({ points, predicted }: { points: HistoryPoint[]; predicted: number }) {
  const { t } = useTranslation();
  const left = 34;
  const bottom = 16;
  const w = 320;
  const h = 106;
  const plotW = w - left - 6;
  const plotH = h - bottom - 4;
  const first = points[0]?.step ?? 0;
  const span = Math.max(1, (points.at(-1)?.step ?? 0) - first);
  // Steps on a log scale: a network learns to read a digit in its first few hundred steps.
  const x = (step: number) => left + (Math.log1p(Math.max(0, step - first)) / Math.log1p(span)) * plotW;
  const y = (p: number) => 4 + (1 - p) * plotH;
  const lines = Array.from({ length: NUM_CLASSES }, (_, d) =>
    points.map((p) => `${x(p.step).toFixed(1)},${y(p.probs[d]!).toFixed(1)}`).join(' '),
  );
  const xTicks = [1, 10, 100, 1000, 10_000, 100_000].filter((t) => t <= span);
  return (
    <figure className="think-history">
      <svg
        data-testid="prediction-history"
        data-points={points.length}
        viewBox={`0 0 ${w} ${h}`}
        width="100%"
        height={h}
        role="img"
        aria-label={t('think.historyLabel', { count: points.length })}
      >
        <rect x={left} y="4" width={plotW} height={plotH} className="think-history-bg" />
        <g className="think-axis" fontSize="10">
          {[0, 0.5, 1].map((p) => (
            <text key={p} x={left - 4} y={y(p)} textAnchor="end" dominantBaseline="middle">
              {formatPercent(p, 0)}
            </text>
          ))}
          {points.length > 1 &&
            xTicks.map((tick) => (
              <text key={tick} x={x(first + tick)} y={h - 3} textAnchor="middle">
                {formatInteger(first + tick)}
              </text>
            ))}
          <text x={left} y={h - 3} textAnchor="start">
            {points.length > 1 ? '' : t('think.step')}
          </text>
        </g>
        {points.length > 1 &&
          lines.map((pts, d) => (
            <polyline
              key={d}
              points={pts}
              fill="none"
              stroke={DIGIT_COLOURS[d]}
              strokeWidth={d === predicted ? 2.5 : 1.2}
              opacity={d === predicted ? 1 : 0.75}
            />
          ))}
      </svg>
      <figcaption>
        {points.length ? t('think.history', { count: points.length }) : t('think.historyEmpty')}
        {points.length > 1 && (
          <span className="think-legend">
            {DIGIT_COLOURS.map((c, d) => (
              <span key={d} className="think-legend-key">
                <span className="think-legend-swatch" style={{ background: c }} />
                {d}
              </span>
            ))}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
