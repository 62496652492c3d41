/** The settings that differ between the compared runs (and only those), then their results. */
import { memo } from 'react';
import { bestValAccuracy, settingsDiff, type RunRecord } from '../../client/runHistoryRecord';
import { duration, epochsText, percent, speed, TEXT } from './text';

/** "8: 94.9%" — the digit read worst, and how well. */
function weakest(r: RunRecord): string {
  if (!r.test) return '—';
  let d = 0;
  r.test.perClass.forEach((v, i) => (v < r.test!.perClass[d]! ? (d = i) : null));
  return `${d}: ${percent(r.test.perClass[d]!, 1)}`;
}

export const RunDiff = memo(function RunDiff({ runs, names }: { runs: RunRecord[]; names: Map<string, string> }) {
  const rows = settingsDiff(runs);
  const results: [string, (r: RunRecord) => string][] = [
    [TEXT.resultTest, (r) => (r.test ? percent(r.test.accuracy) : '—')],
    [TEXT.resultLoss, (r) => (r.test ? r.test.loss.toFixed(4) : '—')],
    [TEXT.resultBestVal, (r) => (bestValAccuracy(r) === null ? '—' : percent(bestValAccuracy(r)!))],
    [TEXT.resultWeakest, weakest],
    [TEXT.resultEpochs, (r) => (r.epochsRun === null ? '—' : epochsText(r.epochsRun))],
    [TEXT.resultTime, (r) => (r.elapsedMs === null ? '—' : duration(r.elapsedMs))],
    [TEXT.resultSpeed, (r) => (r.samplesPerSec ? speed(r.samplesPerSec) : '—')],
    [TEXT.resultBackend, (r) => r.backend?.toUpperCase() ?? '—'],
  ];
  return (
    <div className="run-diff-wrap">
      <h3>{TEXT.diffTitle}</h3>
      {rows.length === 0 && <p className="muted">{TEXT.diffSame}</p>}
      <table className="run-diff" data-testid="run-diff">
        <thead>
          <tr>
            <th scope="col">{TEXT.setting}</th>
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
              <th scope="row">{row.label}</th>
              {row.values.map((v, i) => (
                <td key={runs[i]!.id}>{v}</td>
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
