import { useMemo, useState } from 'react';
import type { Mistake, TestReport } from '../../shared/protocol';
import { IMAGE_PIXELS, NUM_CLASSES } from '../../shared/constants';
import { useTranslation } from 'react-i18next';
import { rowRates, summarizeConfusion, type ConfusionSummary } from '../../shared/confusion';
import { formatInteger, formatNumber } from '../../i18n/format';
import { DigitImage } from '../DigitStrip';
import { formatConfidence, formatShare } from './format';
import './insight.css';

/** Called with a digit's [784] pixels (0..1, white on black) and a caption, to show it in the drawing pad's preview. */
export type InspectHandler = (pixels: Float32Array, label: string) => void;

export interface TestReportViewProps {
  /** The current model's test-set report (state.report), or null before one exists. */
  report: TestReport | null;
  onInspect: InspectHandler;
  /** Evaluates the current model (TrainerApi.evaluate); settles when the worker answers. */
  onEvaluate(): Promise<unknown>;
  /** Why evaluating cannot apply now (training, no model, no data); null when it can. */
  evaluateReason: string | null;
  /** Most mistakes shown in the gallery. */
  maxMistakes?: number;
  /** Replaces the one-line explanation shown while there is no report (e.g. during training). */
  emptyMessage?: string;
  /** Called when a confusion-matrix cell is clicked: show the test images behind it. */
  onCell?(label: number, predicted: number): void;
}

/**
 * The test-set report: headline accuracy, the 10x10 confusion matrix as a heat map,
 * per-class accuracy bars and a gallery of the most confident mistakes.
 */
export function TestReportView({
  report,
  onInspect,
  onEvaluate,
  evaluateReason,
  maxMistakes = 32,
  emptyMessage,
  onCell,
}: TestReportViewProps) {
  const [evaluating, setEvaluating] = useState(false);
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);
  const canEvaluate = evaluateReason === null;
  const summary = useMemo(() => (report ? summarizeConfusion(report.confusion) : null), [report]);

  const evaluateButton = (
    <button
      type="button"
      className="secondary"
      data-testid="evaluate-button"
      disabled={!canEvaluate || evaluating}
      title={evaluateReason ?? undefined}
      aria-busy={evaluating}
      onClick={() => {
        setEvaluating(true);
        setFailure(null);
        onEvaluate()
          .catch((e: unknown) => setFailure(e instanceof Error ? e.message : String(e)))
          .finally(() => setEvaluating(false));
      }}
    >
      {evaluating ? t('insight.report.evaluating') : report ? t('insight.report.evaluateAgain') : t('insight.report.evaluate')}
    </button>
  );

  return (
    <section className="panel insight-report" aria-labelledby="insight-report-title" data-testid="test-report">
      <div className="insight-head">
        <h2 id="insight-report-title">{t('insight.report.title')}</h2>
        {(canEvaluate || evaluating) && evaluateButton}
      </div>
      {failure && (
        <p className="insight-error" role="alert" data-testid="evaluate-error">
          {t('insight.report.evaluateFailed', { reason: failure })}
        </p>
      )}
      {!report || !summary ? (
        <p className="muted insight-empty">
          {emptyMessage ??
            (canEvaluate ? t('insight.report.emptyEvaluate', { total: formatInteger(10_000) }) : t('insight.report.emptyNoModel'))}
        </p>
      ) : (
        <>
          <p className="insight-headline">
            <strong data-testid="report-accuracy" data-value={report.testAccuracy}>
              {formatShare(report.testAccuracy, 2)}
            </strong>{' '}
            {t('insight.report.headline', { total: formatInteger(summary.total) })}
            <span className="muted">
              {' · '}
              {t('insight.report.loss', { loss: Number.isFinite(report.testLoss) ? formatNumber(report.testLoss, 4) : '—' })}
            </span>
          </p>
          <div className="insight-report-grid">
            <ConfusionMatrix counts={report.confusion} summary={summary} onCell={onCell} />
            <PerClassAccuracy summary={summary} />
          </div>
          {summary.topConfusions.length > 0 && (
            <p className="insight-confusions">
              <span className="muted">{t('insight.report.mostConfused')}</span>
              {summary.topConfusions.slice(0, 3).map((c, i) => (
                <span key={`${c.label}-${c.predicted}`}>
                  {i > 0 && t('insight.listSeparator')}
                  {t('insight.report.takenFor', { label: c.label, predicted: c.predicted })}
                  <span className="muted">{t('insight.report.times', { n: formatInteger(c.count) })}</span>
                </span>
              ))}
            </p>
          )}
          <MistakeGallery mistakes={report.mistakes.slice(0, maxMistakes)} onInspect={onInspect} />
        </>
      )}
    </section>
  );
}

const DIAGONAL_RGB = '52, 211, 153'; // --good
const ERROR_RGB = '248, 113, 113'; // --bad

/**
 * A cell's colour strength and whether its count is written dark. On the dark theme's panel,
 * light text stays readable (4.5:1) up to alpha 0.45 on green and 0.6 on red, dark text from
 * 0.65 and 0.8: shades in between are pushed up to where dark text reads.
 */
function cellShade(alpha: number, diagonal: boolean): [number, boolean] {
  const [light, dark] = diagonal ? [0.45, 0.65] : [0.6, 0.8];
  return alpha <= light ? [alpha, false] : [Math.max(alpha, dark), true];
}

/**
 * 10x10 heat map, rows = true label, columns = prediction. Diagonal cells (right) are green with
 * intensity = the row's share; off-diagonal cells (errors) are red with intensity = the row's share
 * relative to the largest error share, so the worst confusion is the darkest red.
 */
export function ConfusionMatrix({
  counts,
  summary,
  onCell,
}: {
  counts: number[];
  summary: ConfusionSummary;
  onCell?: (label: number, predicted: number) => void;
}) {
  const { t: tr } = useTranslation();
  const rates = useMemo(() => rowRates(counts), [counts]);
  const digits = Array.from({ length: NUM_CLASSES }, (_, d) => d);
  return (
    <figure className="confusion">
      <div className="confusion-axis-x" aria-hidden="true">
        {tr('insight.matrix.predictedAxis')}
      </div>
      <div className="confusion-body">
        <div className="confusion-axis-y" aria-hidden="true">
          {tr('insight.matrix.trueAxis')}
        </div>
        <table className="confusion-table" data-testid="confusion-matrix" data-total={summary.total}>
          <caption className="insight-sr-only">{tr('insight.matrix.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="insight-sr-only">{tr('insight.matrix.corner')}</span>
              </th>
              {digits.map((p) => (
                <th key={p} scope="col">
                  {p}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {digits.map((t) => (
              <tr key={t}>
                <th scope="row">{t}</th>
                {digits.map((p) => {
                  const count = counts[t * NUM_CLASSES + p] ?? 0;
                  const rate = rates[t * NUM_CLASSES + p] ?? 0;
                  const diagonal = t === p;
                  const [alpha, strong] = cellShade(
                    diagonal ? rate : count > 0 ? Math.max(0.12, rate / (summary.maxErrorRate || 1)) : 0,
                    diagonal,
                  );
                  const share = formatShare(rate);
                  return (
                    <td
                      key={p}
                      data-testid={`confusion-cell-${t}-${p}`}
                      data-value={count}
                      className={`${diagonal ? 'diag' : 'off'}${count === 0 ? ' zero' : ''}${strong ? ' strong' : ''}`}
                      style={
                        alpha > 0 ? { backgroundColor: `rgba(${diagonal ? DIAGONAL_RGB : ERROR_RGB}, ${alpha.toFixed(3)})` } : undefined
                      }
                      title={`${tr('insight.matrix.cellTitle', { label: t, predicted: p, count, share })}${onCell ? tr('insight.matrix.cellClick') : ''}`}
                      {...(onCell
                        ? {
                            tabIndex: 0,
                            role: 'button',
                            onClick: () => onCell(t, p),
                            onKeyDown: (e: { key: string; preventDefault(): void }) => {
                              if (e.key === 'Enter' || e.key === ' ') {
                                e.preventDefault();
                                onCell(t, p);
                              }
                            },
                          }
                        : {})}
                    >
                      {count}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <figcaption className="muted confusion-legend">
        <span className="confusion-explain">{tr('insight.matrix.explain')}</span>
        <span className="swatch diag" aria-hidden="true" /> {tr('insight.matrix.right')} <span className="swatch off" aria-hidden="true" />{' '}
        {tr('insight.matrix.wrong', { darkest: formatShare(summary.maxErrorRate) })}
      </figcaption>
    </figure>
  );
}

/** One bar per digit: its recall (share of that digit's test images classified right). */
export function PerClassAccuracy({ summary }: { summary: ConfusionSummary }) {
  const { t } = useTranslation();
  const finite = summary.perClass.map((c) => c.recall).filter(Number.isFinite);
  const worst = finite.length ? Math.min(...finite) : 1;
  // Recalls of a decent model all sit above 90%: start the bars lower than the worst one so the differences show.
  const floor = Math.max(0, Math.min(0.8, Math.floor(worst * 10) / 10 - 0.1));
  return (
    <div className="class-accuracy" data-testid="per-class-accuracy">
      <h3>{t('insight.perDigit.title')}</h3>
      <ul>
        {summary.perClass.map((c) => {
          const ok = Number.isFinite(c.recall);
          const width = ok ? Math.max(0, (c.recall - floor) / (1 - floor)) : 0;
          return (
            <li
              key={c.digit}
              data-testid={`class-accuracy-${c.digit}`}
              data-value={ok ? c.recall : undefined}
              className={ok && c.recall === worst ? 'worst' : undefined}
              title={
                ok
                  ? t('insight.perDigit.barTitle', {
                      correct: formatInteger(c.correct),
                      support: formatInteger(c.support),
                      digit: c.digit,
                      precision: formatShare(c.precision),
                    })
                  : t('insight.perDigit.none', { digit: c.digit })
              }
            >
              <span className="digit-label">{c.digit}</span>
              <span className="bar" aria-hidden="true">
                <span style={{ width: `${(width * 100).toFixed(1)}%` }} />
              </span>
              <span className="pct">{formatShare(c.recall)}</span>
            </li>
          );
        })}
      </ul>
      <p className="muted axis-note">{t('insight.perDigit.floor', { floor: formatShare(floor, 0) })}</p>
    </div>
  );
}

/** The most confident mistakes; each is a button that shows the digit in the drawing pad's preview. */
export function MistakeGallery({ mistakes, onInspect }: { mistakes: Mistake[]; onInspect: InspectHandler }) {
  const { t } = useTranslation();
  return (
    <div className="mistakes">
      <h3>{t('insight.mistakes.title')}</h3>
      {mistakes.length === 0 ? (
        <p className="muted insight-empty">{t('insight.mistakes.none')}</p>
      ) : (
        <>
          <p className="muted axis-note">{t('insight.mistakes.explain')}</p>
          <ul className="mistake-gallery" data-testid="mistake-gallery">
            {mistakes.map((m, i) => {
              const caption = t('insight.mistakes.caption', {
                index: m.index,
                label: m.label,
                predicted: m.predicted,
                confidence: formatConfidence(m.confidence),
              });
              return (
                <li key={`${m.index}-${i}`}>
                  <button
                    type="button"
                    className="mistake-item"
                    data-testid="mistake-item"
                    title={caption}
                    onClick={() => onInspect(toUnit(m.pixels), caption)}
                  >
                    {/* Named by its content (the caption, for screen readers), not an aria-label that differs from the visible text. */}
                    <span className="insight-sr-only">{caption}</span>
                    <DigitImage pixels={m.pixels} label="" className="digit mistake-digit" />
                    <span className="mistake-text" aria-hidden="true">
                      <span className="true-label">{m.label}</span>→<span className="predicted">{m.predicted}</span>
                      <span className="confidence">{formatConfidence(m.confidence)}</span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

/** Bytes 0..255 → [784] floats 0..1, the model's input scale. */
function toUnit(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(IMAGE_PIXELS);
  for (let i = 0; i < IMAGE_PIXELS; i++) out[i] = (pixels[i] ?? 0) / 255;
  return out;
}
