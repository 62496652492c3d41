import { useTranslation } from 'react-i18next';
import type { TrainerState } from '../client/trainerState';
import { msg, sentenceGap, tr, type Msg } from '../i18n/message';
import { formatNumber, formatPercent } from '../i18n/format';
import type { RunSummary } from '../shared/protocol';
import { REFERENCE_TEST_ACCURACY } from '../shared/constants';
import { isReferenceRun } from './referenceRun';
import type { RunVerdict } from './runVerdict';

/** What happened in the run, in words, coloured by its kind (run-verdict, data-verdict = the kind). */
export function RunVerdictLine({ verdict }: { verdict: RunVerdict }) {
  const { t } = useTranslation();
  return (
    <p className={`run-verdict verdict-text-${verdict.kind}`} data-testid="run-verdict" data-verdict={verdict.kind} role="status">
      <strong>{tr(t, verdict.headline)}</strong>
      {verdict.advice && (
        <>
          {sentenceGap()}
          {tr(t, verdict.advice)}
        </>
      )}
    </p>
  );
}

/**
 * The final test-set figures, prominently, coloured by the run's verdict (chance is never green),
 * with the verdict in words. Beside the reference figure only when the run used the reference
 * recipe; otherwise the reference is a sentence, not a comparison.
 */
export function TestResult({ state, verdict }: { state: TrainerState; verdict: RunVerdict | null }) {
  const { t } = useTranslation();
  const { report, run } = state;
  if (!report) return verdict ? <RunVerdictLine verdict={verdict} /> : null;
  const acc = report.testAccuracy;
  // A run that continued earlier weights (epochOffset > 0) trained more than the recipe says.
  const reference = state.epochOffset === 0 && isReferenceRun(state.model.config, run);
  return (
    <div className={`test-result${verdict ? ` verdict-${verdict.kind}` : ''}`} aria-live="polite">
      <div className="big-figure">
        <span className="label">{t('verdict.testAccuracy')}</span>
        <strong data-testid="test-accuracy" data-value={acc}>
          {formatPercent(acc, 2)}
        </strong>
        <span className="muted">{t('verdict.ofTest')}</span>
      </div>
      <div className="big-figure small">
        <span className="label">{t('verdict.testLoss')}</span>
        <strong data-testid="test-loss" data-value={report.testLoss}>
          {formatNumber(report.testLoss, 4)}
        </strong>
      </div>
      {reference && (
        <div className="big-figure small" data-testid="reference-comparison">
          <span className="label">{t('verdict.reference')}</span>
          <strong>{formatPercent(REFERENCE_TEST_ACCURACY)}</strong>
          <span className="muted">{t('verdict.referenceSame')}</span>
        </div>
      )}
      {verdict && <RunVerdictLine verdict={verdict} />}
      {(run || !reference) && (
        <p className="muted run-note">
          {run && <span data-testid="run-note">{t('verdict.runNote', { note: tr(t, runNote(run)), seconds: run.elapsedMs / 1000 })}</span>}
          {run && !reference && ' · '}
          {!reference && <span data-testid="reference-note">{t('verdict.referenceNote', { accuracy: REFERENCE_TEST_ACCURACY })}</span>}
        </p>
      )}
    </div>
  );
}

/**
 * How a run ended, as a message: "10 epochs", "stopped early after 7 epochs",
 * "stopped in epoch 1 at step 210 of 1,500".
 */
export function runNote(run: Pick<RunSummary, 'outcome' | 'steps' | 'stepsPerEpoch'>): Msg {
  const full = Math.floor(run.steps / run.stepsPerEpoch);
  const step = run.steps % run.stepsPerEpoch;
  if (run.outcome === 'early-stopped') return msg('verdict.note.early', { count: full });
  if (run.outcome === 'stopped' || run.outcome === 'cancelled') {
    const verb = run.outcome === 'stopped' ? 'stopped' : 'cancelled';
    if (step === 0) return msg(`verdict.note.${verb}After`, { count: full });
    return msg(`verdict.note.${verb}In`, { epoch: full + 1, step, steps: run.stepsPerEpoch });
  }
  return msg('verdict.note.epochs', { count: full });
}
