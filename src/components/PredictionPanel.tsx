import { NUM_CLASSES } from '../shared/constants';
import '../drawing/drawing.css';

export interface PredictionPanelProps {
  /** The model's 10 probabilities (0..1), or null when nothing is drawn or no model can predict. */
  probs: Float32Array | null;
  /** Why there are no probabilities (e.g. "Train a model first, or load one."), shown over the bars. */
  reason?: string | null;
  /** Text for screen readers, announced politely when it changes ("Looks like a 7 (93%)"). */
  announcement?: string;
  /** What the input is, e.g. "test digit labelled 4"; shown under the predicted digit. */
  caption?: string | null;
}

/** Index of the largest probability. */
export function argmax(probs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < probs.length; i++) if ((probs[i] as number) > (probs[best] as number)) best = i;
  return best;
}

/** "93%", or "<1%" for small non-zero values. */
function percent(p: number): string {
  if (p > 0 && p < 0.005) return '<1%';
  return `${Math.round(p * 100)}%`;
}

/**
 * The predicted digit, large, and ten probability bars (or, without probabilities,
 * the reason over empty bars). Every bar has data-testid `probability-<digit>` and
 * data-value = its probability ("0" when there is none).
 */
export function PredictionPanel({ probs, reason, announcement = '', caption }: PredictionPanelProps) {
  const top = probs ? argmax(probs) : -1;

  return (
    <section className="prediction-panel" aria-label="Prediction">
      <div className="prediction-head">
        <span className="predicted-digit" data-testid="predicted-digit" aria-label={top >= 0 ? `predicted digit ${top}` : 'no prediction'}>
          {top >= 0 ? String(top) : ''}
        </span>
        <span className="prediction-confidence">
          {probs && top >= 0 ? `${percent(probs[top] as number)} sure` : reason ? '' : 'Draw a digit'}
          {caption && <span className="prediction-caption">{caption}</span>}
        </span>
      </div>
      <div className="prob-bars-wrap">
        <ol className={probs ? 'prob-bars' : 'prob-bars is-empty'} aria-label="Probability of each digit">
          {Array.from({ length: NUM_CLASSES }, (_, d) => {
            const p = probs ? (probs[d] ?? 0) : 0;
            return (
              <li key={d} className={d === top ? 'is-top' : undefined} data-testid={`probability-${d}`} data-value={String(p)}>
                <span className="prob-digit">{d}</span>
                <span className="prob-track" aria-hidden="true">
                  <span className="prob-fill" style={{ transform: `scaleX(${Math.min(1, Math.max(0, p))})` }} />
                </span>
                <span className="prob-value">{probs ? percent(p) : '–'}</span>
              </li>
            );
          })}
        </ol>
        {!probs && reason && (
          <p className="prediction-reason" data-testid="prediction-reason">
            {reason}
          </p>
        )}
      </div>
      <p className="visually-hidden" aria-live="polite" data-testid="prediction-announcement">
        {announcement}
      </p>
    </section>
  );
}
