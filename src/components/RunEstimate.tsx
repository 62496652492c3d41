import { Trans, useTranslation } from 'react-i18next';
import { formatBytes } from '../shared/runEstimate';
import { tr } from '../i18n/message';
import type { RunEstimate } from './useRunEstimate';

/** Runs estimated longer than this get a word of warning, s. */
const LONG_RUN_S = 600;

/**
 * Under Train, before a run: how long the configured run should take on this machine and the
 * memory it needs (run-estimate, data-seconds = the predicted duration), or why it cannot fit.
 */
export function RunEstimateLine({ estimate }: { estimate: RunEstimate | null }) {
  const { t } = useTranslation();
  if (!estimate)
    return (
      <p className="run-estimate muted" data-testid="run-estimate" data-seconds="">
        {t('progress.estimateUnknown')}
      </p>
    );
  const { seconds, raceSeconds, memoryBytes, refusal, basis } = estimate;
  if (refusal)
    return (
      <p
        className="run-estimate is-refused"
        data-testid="run-estimate"
        data-seconds={seconds.toFixed(1)}
        data-memory-bytes={Math.round(memoryBytes)}
        data-refused="true"
      >
        {tr(t, refusal)}
      </p>
    );
  const long = seconds > LONG_RUN_S;
  return (
    <p
      className={`run-estimate${long ? ' is-long' : ' muted'}`}
      data-testid="run-estimate"
      data-seconds={seconds.toFixed(1)}
      data-memory-bytes={Math.round(memoryBytes)}
      data-basis={basis}
      title={basis === 'run' ? t('progress.estimateRun') : t('progress.estimateRace')}
    >
      <Trans i18nKey="progress.takes" values={{ ms: seconds * 1000 }} components={{ b: <strong /> }} />
      {raceSeconds >= 1 && t('progress.takesRace', { ms: raceSeconds * 1000 })}
      {t('progress.needs', { bytes: formatBytes(memoryBytes) })}
      {long && t('progress.long')}
    </p>
  );
}
