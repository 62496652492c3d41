import { formatBytes } from '../shared/runEstimate';
import { formatDuration } from './TrainingProgress';
import type { RunEstimate } from './useRunEstimate';

/** Runs estimated longer than this get a word of warning, s. */
const LONG_RUN_S = 600;

/**
 * Under Train, before a run: how long the configured run should take on this machine and the
 * memory it needs (run-estimate, data-seconds = the predicted duration), or why it cannot fit.
 */
export function RunEstimateLine({ estimate }: { estimate: RunEstimate | null }) {
  if (!estimate)
    return (
      <p className="run-estimate muted" data-testid="run-estimate" data-seconds="">
        How long it takes here is known once the engine has timed this machine.
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
        {refusal}
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
      title={
        basis === 'run'
          ? 'From the speed of an earlier run of this network here.'
          : 'From the speed the backends were timed at here, scaled to this network.'
      }
    >
      Takes about <strong>{formatDuration(seconds * 1000)}</strong> here
      {raceSeconds >= 1 && ` (${formatDuration(raceSeconds * 1000)} of it choosing the backend)`} · needs about {formatBytes(memoryBytes)}
      {long && '. That is long: fewer epochs or images, or narrower layers, train faster.'}
    </p>
  );
}
