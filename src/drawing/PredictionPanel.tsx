import { memo } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { say, type Words } from '../i18n/message';
import { NUM_CLASSES } from '../shared/constants';
import type { Verdict } from './verdict';
import './drawing.css';

export interface PredictionPanelProps {
  /** The model's 10 probabilities (0..1), or null when nothing is drawn or no model can predict. */
  probs: Float32Array | null;
  /** How far to trust the top digit (verdict.ts), or null when nothing is predicted. */
  verdict?: Verdict | null;
  /** Why there are no probabilities (e.g. "Train a model first, or load one."), shown over the bars. */
  reason?: Words | null;
  /** Text for screen readers, announced politely when it changes ("Looks like a 7 (confidence 93%)"). */
  announcement?: string;
  /** What the input is, e.g. "test digit labelled 4"; shown under the predicted digit. */
  caption?: Words | null;
}

/** Index of the largest probability. */
export function argmax(probs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < probs.length; i++) if ((probs[i] as number) > (probs[best] as number)) best = i;
  return best;
}

/** "93%", or "<1%" for small non-zero values. */
export function percent(p: number): string {
  if (p > 0 && p < 0.005) return '<1%';
  return `${Math.round(p * 100)}%`;
}

/** The model's probability for its pick, plainly named: "confidence 93%". */
export function confidenceText(t: TFunction, p: number): string {
  return t('draw.confidence', { p: percent(p) });
}

/**
 * The verdict in words: "confidence 94%", "4, or maybe 9", "Not a digit? A dot or a blob · best guess 8".
 * Only a sure answer carries its number (once: the top bar then leaves it out).
 */
function verdictText(t: TFunction, v: Verdict): string {
  if (v.kind === 'digit') return confidenceText(t, v.score);
  if (v.kind === 'unsure') return t('draw.maybe', { digit: v.digit, runnerUp: v.runnerUp });
  return t('draw.notDigit', { why: t(`draw.whyCap.${v.reason ?? 'unlike-digit'}`), digit: v.digit });
}

/**
 * The predicted digit, large, its verdict (data-testid `prediction-verdict`, data-verdict
 * `digit` | `unsure` | `not-a-digit`, empty when nothing is predicted) and ten probability
 * bars (or, without probabilities, the reason over empty bars). Every bar has data-testid
 * `probability-<digit>` and data-value = its probability ("0" when there is none).
 */
export const PredictionPanel = memo(function PredictionPanel({
  probs,
  verdict = null,
  reason,
  announcement = '',
  caption,
}: PredictionPanelProps) {
  const { t } = useTranslation();
  const top = probs ? argmax(probs) : -1;
  const kind = probs && verdict ? verdict.kind : '';
  // A sure answer names its confidence beside the digit, so its bar does not repeat the number.
  const topInHead = kind === 'digit';

  return (
    <section className="prediction-panel" aria-label={t('draw.region')}>
      <div className={`prediction-head${kind ? ` is-${kind}` : ''}`}>
        <p className="prediction-answer">
          <span className="visually-hidden">{top >= 0 ? t('draw.predicted') : t('draw.noPrediction')}</span>
          <span className="predicted-digit" data-testid="predicted-digit">
            {top >= 0 ? String(top) : ''}
          </span>
        </p>
        <span className="prediction-confidence">
          <span className="prediction-verdict" data-testid="prediction-verdict" data-verdict={kind}>
            {probs && verdict
              ? verdictText(t, verdict)
              : probs && top >= 0
                ? confidenceText(t, probs[top] as number)
                : reason
                  ? ''
                  : t('draw.drawPrompt')}
          </span>
          {caption && <span className="prediction-caption">{say(t, caption)}</span>}
        </span>
      </div>
      <div className="prob-bars-wrap">
        <ol className={probs ? 'prob-bars' : 'prob-bars is-empty'} aria-label={t('draw.bars')}>
          {Array.from({ length: NUM_CLASSES }, (_, d) => {
            const p = probs ? (probs[d] ?? 0) : 0;
            return (
              <li key={d} className={d === top ? 'is-top' : undefined} data-testid={`probability-${d}`} data-value={String(p)}>
                <span className="prob-digit">{d}</span>
                <span className="prob-track" aria-hidden="true">
                  <span className="prob-fill" style={{ transform: `scaleX(${Math.min(1, Math.max(0, p))})` }} />
                </span>
                <span className={d === top && topInHead ? 'prob-value visually-hidden' : 'prob-value'}>{probs ? percent(p) : '–'}</span>
              </li>
            );
          })}
        </ol>
        {!probs && reason && (
          <p className="prediction-reason" data-testid="prediction-reason">
            {say(t, reason)}
          </p>
        )}
      </div>
      <p className="prediction-note muted">{t('draw.note')}</p>
      <p className="visually-hidden" aria-live="polite" data-testid="prediction-announcement">
        {announcement}
      </p>
    </section>
  );
});
