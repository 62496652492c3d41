/**
 * The hyperparameter form's state: the text of each field, the parsed config
 * and per-field errors, all from the one table in shared/trainConfig. Valid
 * changes are mirrored into the URL so a configuration can be shared as a link.
 */
import { useCallback, useMemo, useState } from 'react';
import {
  configToQuery,
  DEFAULT_CONFIG,
  formatParam,
  parseConfig,
  PARAMS,
  type ConfigErrors,
  type ConfigKey,
  type TrainConfig,
} from '../shared/trainConfig';

export type RawConfig = Record<ConfigKey, string>;

/** Text values for every field: the URL's where given, else the defaults. */
export function rawFromQuery(search: string): RawConfig {
  const params = new URLSearchParams(search);
  const raw = {} as RawConfig;
  for (const spec of PARAMS) raw[spec.key] = params.get(spec.key) ?? formatParam(spec.key, DEFAULT_CONFIG[spec.key]);
  return raw;
}

export interface ConfigForm {
  raw: RawConfig;
  config: TrainConfig;
  errors: ConfigErrors;
  valid: boolean;
  setField(key: ConfigKey, text: string): void;
  /** Puts a whole configuration into the form (e.g. a kept run's, "Run again"). */
  setConfig(config: TrainConfig): void;
  resetDefaults(): void;
}

export function useConfigForm(): ConfigForm {
  const [raw, setRaw] = useState<RawConfig>(() => rawFromQuery(location.search));
  const { config, errors } = useMemo(() => parseConfig(raw), [raw]);
  const valid = Object.keys(errors).length === 0;

  const update = useCallback((next: RawConfig) => {
    setRaw(next);
    const parsed = parseConfig(next);
    if (Object.keys(parsed.errors).length === 0) {
      history.replaceState(history.state, '', `${location.pathname}${configToQuery(parsed.config, location.search)}${location.hash}`);
    }
  }, []);

  const setField = useCallback((key: ConfigKey, text: string) => update({ ...raw, [key]: text }), [raw, update]);
  const resetDefaults = useCallback(() => update(rawFromQuery('')), [update]);
  const setConfig = useCallback(
    (c: TrainConfig) => update(Object.fromEntries(PARAMS.map((p) => [p.key, formatParam(p.key, c[p.key])])) as RawConfig),
    [update],
  );

  return useMemo(
    () => ({ raw, config, errors, valid, setField, setConfig, resetDefaults }),
    [raw, config, errors, valid, setField, setConfig, resetDefaults],
  );
}
