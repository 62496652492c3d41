/**
 * The estimate under Train: the configured run's duration on this machine and its memory,
 * from the speeds measured here (the backend race when the page started, and every run since),
 * kept per backend and shape for the page's lifetime.
 */
import { msg, type Msg } from '../i18n/message';
import { useState } from 'react';
import type { TrainerState } from '../client/trainerState';
import type { BackendName } from '../shared/protocol';
import {
  estimateMemory,
  formatBytes,
  estimateTime,
  memoryBudget,
  memoryRefusal,
  raceSeconds,
  sameShape,
  speedFor,
  type SpeedSample,
  type StepShape,
} from '../shared/runEstimate';
import { DEFAULT_CONFIG, type TrainConfig } from '../shared/trainConfig';

export interface RunEstimate {
  /** The whole run, s (race included). */
  seconds: number;
  /** Of which `auto` racing the backends on a shape it has not raced in this page, s. */
  raceSeconds: number;
  /** Where the speed comes from: an earlier run of this shape here, or the backend race (scaled to the shape). */
  basis: 'run' | 'race';
  samplesPerSec: number;
  memoryBytes: number;
  /** Why it cannot fit here (a message), or null. */
  refusal: Msg | null;
}

interface Measured extends SpeedSample {
  backend: BackendName;
  source: 'race' | 'run';
}

/** What a race is remembered by (the worker's key, without the browser). */
const raceKeyOf = (c: StepShape & Pick<TrainConfig, 'activation'>) =>
  `${c.hiddenUnits.join('-')}|${c.batchSize}|${c.activation}|${c.optimizer}`;

/** Runs this short teach little about speed (start-up dominates). */
const MIN_STEPS_FOR_SPEED = 50;

interface Seen {
  backend: TrainerState['backend'];
  run: TrainerState['run'];
  speeds: Measured[];
  /** Shapes `auto` has raced in this page, and the shape of the latest race. */
  raced: string[];
  raceShape: StepShape;
}

/**
 * @param config the form's configuration (null when invalid).
 * @param launched the configuration of the last Train press (a race arriving while it waits was run on its shape).
 */
export function useRunEstimate(config: TrainConfig | null, state: TrainerState, launched: TrainConfig | null): RunEstimate | null {
  const [seen, setSeen] = useState<Seen>({
    backend: null,
    run: null,
    speeds: [],
    raced: [raceKeyOf(DEFAULT_CONFIG)],
    raceShape: DEFAULT_CONFIG,
  });
  // New measurements: a race (the `ready` event) or a finished run. Adjusted while rendering (React's pattern).
  if (state.backend !== seen.backend || state.run !== seen.run) {
    let { speeds, raced, raceShape } = seen;
    if (state.backend !== seen.backend && state.backend?.race) {
      const shape = state.trainPending && launched ? launched : DEFAULT_CONFIG;
      raceShape = shape;
      raced = [...raced, raceKeyOf(shape)];
      const lanes = state.backend.race.filter((e) => e.samplesPerSec !== null && e.samplesPerSec > 0);
      speeds = [...speeds, ...lanes.map((e) => ({ backend: e.backend, shape, samplesPerSec: e.samplesPerSec!, source: 'race' as const }))];
    }
    const run = state.run;
    const cfg = state.model.config;
    const sps = state.lastBatch?.samplesPerSec;
    if (run !== seen.run && run && cfg && state.backend && sps && run.outcome !== 'cancelled' && run.steps >= MIN_STEPS_FOR_SPEED)
      speeds = [...speeds, { backend: state.backend.name, shape: cfg, samplesPerSec: sps, source: 'run' }];
    setSeen({ backend: state.backend, run: state.run, speeds, raced, raceShape });
  }

  if (!config) return null;
  const backend: BackendName | null = config.backend === 'auto' ? (state.backend?.name ?? null) : config.backend;
  const mine = seen.speeds.filter((s) => s.backend === backend);
  const samplesPerSec = speedFor(config, mine);
  const time = estimateTime(config, samplesPerSec);
  if (!time) return null;
  const exact = mine.some((s) => s.source === 'run' && sameShape(s.shape, config));
  const needsRace = config.backend === 'auto' && !seen.raced.includes(raceKeyOf(config));
  const lanes = (state.backend?.race ?? []).map((e) => e.samplesPerSec);
  const race = needsRace ? raceSeconds(config, seen.raceShape, lanes) : 0;
  return {
    seconds: time.seconds + race,
    raceSeconds: race,
    basis: exact ? 'run' : 'race',
    samplesPerSec: time.samplesPerSec,
    memoryBytes: estimateMemory(config).bytes,
    refusal: refusalOf(config, memoryBudget((navigator as Navigator & { deviceMemory?: number }).deviceMemory)),
  };
}

/** Why `config` cannot train here, as a message (memoryRefusal's decision, the page's words), or null. */
function refusalOf(config: TrainConfig, budget: number): Msg | null {
  if (memoryRefusal(config, budget) === null) return null;
  return msg('progress.tooBig', { need: formatBytes(estimateMemory(config).bytes), budget: formatBytes(budget) });
}
