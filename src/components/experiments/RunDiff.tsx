/** The settings that differ between the compared runs (and only those), then their results. */
import { memo } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { bestValAccuracy, settingsDiff, type RunRecord } from '../../client/runHistoryRecord';
import { formatNumber } from '../../i18n/format';
import type { MessageKey } from '../../client/localMessage';
import { duration, epochsText, percent, speed } from './text';

/** "8: 94.9%" — the digit read worst, and how well. */
function weakest(t: TFunction, r: RunRecord): string {
  if (!r.test) return '—';
  let d = 0;
  r.test.perClass.forEach((v, i) => (v < r.test!.perClass[d]! ? (d = i) : null));
  return t('experiments.weakest', { digit: d, accuracy: percent(r.test.perClass[d]!, 1) });
}

/**
 * A setting's name in the page's language: the hyperparameter table's message (`params.<key>`, a
 * string or an object with a `label`) when the locale files have one, else the table's own label.
 */
function paramLabel(t: TFunction, key: string, fallback: string): string {
  const found: unknown = t(`params.${key}` as never, { returnObjects: true, defaultValue: fallback } as never);
  if (typeof found === 'string') return found;
  const label = (found as { label?: unknown } | null)?.label;
  return typeof label === 'string' ? label : fallback;
}

/** Values of a setting that are words (the URL's), in the page's language; numbers and names (adam, relu, wasm) stay. */
const VALUE_KEYS: Partial<Record<string, MessageKey>> = {
  'backend:auto': 'experiments.values.auto',
  'normalization:standardize': 'experiments.values.standardize',
  'normalization:unit': 'experiments.values.unit',
};

function settingValue(t: TFunction, key: string, value: string): string {
  if (!value) return t('experiments.none');
  const word = VALUE_KEYS[`${key}:${value}`];
  return word ? t(word) : value;
}

export const RunDiff = memo(function RunDiff({ runs, names }: { runs: RunRecord[]; names: Map<string, string> }) {
  const { t } = useTranslation();
  const rows = settingsDiff(runs);
  const results: [string, (r: RunRecord) => string][] = [
    [t('experiments.resultTest'), (r) => (r.test ? percent(r.test.accuracy) : '—')],
    [t('experiments.resultLoss'), (r) => (r.test ? formatNumber(r.test.loss, 4) : '—')],
    [t('experiments.resultBestVal'), (r) => (bestValAccuracy(r) === null ? '—' : percent(bestValAccuracy(r)!))],
    [t('experiments.resultWeakest'), (r) => weakest(t, r)],
    [t('experiments.resultEpochs'), (r) => (r.epochsRun === null ? '—' : epochsText(t, r.epochsRun))],
    [t('experiments.resultTime'), (r) => (r.elapsedMs === null ? '—' : duration(t, r.elapsedMs))],
    [t('experiments.resultSpeed'), (r) => (r.samplesPerSec ? speed(t, r.samplesPerSec) : '—')],
    [t('experiments.resultBackend'), (r) => r.backend?.toUpperCase() ?? '—'],
  ];
  return (
    <div className="run-diff-wrap">
      <h3>{t('experiments.diffTitle')}</h3>
      {rows.length === 0 && <p className="muted">{t('experiments.diffSame')}</p>}
      <table className="run-diff" data-testid="run-diff">
        <thead>
          <tr>
            <th scope="col">{t('experiments.setting')}</th>
            {runs.map((r) => (
              <th scope="col" key={r.id}>
                {names.get(r.id)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-key={row.key}>
              <th scope="row">{paramLabel(t, row.key, row.label)}</th>
              {row.values.map((v, i) => (
                <td key={runs[i]!.id}>{settingValue(t, row.key, v)}</td>
              ))}
            </tr>
          ))}
          {results.map(([label, value], k) => (
            <tr key={label} className={k === 0 ? 'result first' : 'result'}>
              <th scope="row">{label}</th>
              {runs.map((r) => (
                <td key={r.id}>{value(r)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
