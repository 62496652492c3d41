// The report of `npm run bench` (scripts/bench.mjs): Markdown tables ready for
// the README's Benchmarks section, the ratios between the worker, the page and
// scikit-learn, and which of issue 15's targets the run met.
//
//   node scripts/benchReport.mjs [bench-results.json]   reprint a saved run

export const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const spread = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return s.length ? [Math.min(...s), Math.max(...s)] : null;
};

export const fmt = (n, d = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? '—'
    : Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const range = (sp, d = 0, scale = 1) => (sp ? ` (${fmt(sp[0] * scale, d)}–${fmt(sp[1] * scale, d)})` : '');

/** Prints the tables and ratios of a bench run. */
export function printReport(results, log = console.log) {
  const { machine, options } = results;
  log(
    `\n${machine.cpus} cores, ${machine.browser}; load average ${fmt(machine.loadStart, 1)} at the start, ${fmt(machine.loadEnd, 1)} at the end (other work on the machine)`,
  );
  log(`medians of ${options.repeat} run(s), min–max in brackets; ratios are medians of each run's own ratio`);
  log('\n| backend | what trains | samples/s | plain `model.fit` samples/s | × model.fit | × tf.js engine | ms per step |');
  log('| --- | --- | ---: | ---: | ---: | ---: | --- |');
  for (const r of results.throughput) {
    const p = r.phasesMs;
    const steps = !p
      ? '—'
      : r.path?.startsWith('kernel')
        ? `${fmt(p.kernel + p.batch, 3)} (one call)`
        : `${[p.batch, p.forward, p.backward, p.optimizer].map((x) => fmt(x, 3)).join(' · ')} (batch · forward · backward · optimizer)`;
    log(
      `| ${r.backend} | ${r.variant} | ${fmt(r.engineSamplesPerSec)}${range(r.engineSpread)} | ${fmt(r.fitSamplesPerSec)}${range(r.fitSpread)} | ${fmt(r.speedup, 2)}× | ${r.variant === 'tf.js engine' ? '1' : `${fmt(r.overTfjs, 2)}×`} | ${steps} |`,
    );
  }
  if (results.threads)
    log(
      `\ntf.js WASM threads: ${results.threads.map((t) => `${t.asked} asked / ${t.got} running: ${fmt(t.samplesPerSec)}${range(t.spread)} samples/s`).join(' · ')}`,
    );
  if (results.agreement.length)
    log(
      `\n1 epoch, trainSize 6000, val accuracy: ${results.agreement.map((a) => `${a.backend} ${fmt(a.valAccuracy * 100, 2)}%`).join(' · ')}`,
    );

  const rec = results.recipe;
  const ui = results.ui;
  const nat = results.native?.runs ? results.native : null;
  if (rec || nat) {
    const epochs = rec?.runs[0]?.epochsRun ?? 10;
    log(`\n| the recipe (${epochs} epoch${epochs === 1 ? '' : 's'}, 48,000 images) | seed | time | test accuracy |`);
    log('| --- | ---: | ---: | ---: |');
    for (const r of rec?.runs ?? [])
      log(`| worker (${r.backend}) | ${r.seed} | ${fmt(r.wallMs / 1000, 2)} s | ${fmt(r.testAccuracy * 100, 2)}% |`);
    for (const u of ui?.runs ?? [])
      log(`| page (${u.backend}) | 42 | ${fmt(u.trainingMs / 1000, 2)} s | ${fmt(u.testAccuracy * 100, 2)}% |`);
    for (const n of nat?.runs ?? [])
      log(
        `| scikit-learn (native, ${n.blas?.[0]?.internal_api ?? '?'} ×${n.blas?.[0]?.num_threads ?? '?'}) | ${n.seed} | ${fmt(n.fitSeconds, 2)} s | ${fmt(n.testAccuracy * 100, 2)}% |`,
      );
  }
  if (rec)
    log(
      `\nworker: median ${fmt(rec.wallMs / 1000, 2)} s${range(rec.wallSpread, 2, 1 / 1000)}; predict while training p95 ${fmt(median(rec.runs.map((r) => r.predict.p95Ms)), 1)} ms; data ready ${fmt(rec.runs[0]?.dataReadyMs)} ms; peak JS heap ${fmt((rec.peakJsHeapBytes ?? NaN) / 2 ** 20, 1)} MiB (+ ${fmt((rec.peakArrayBufferBytes ?? NaN) / 2 ** 20, 0)} MiB array buffers)`,
    );
  if (ui)
    log(
      `page: median ${fmt(ui.trainingMs / 1000, 2)} s${range(ui.trainingSpread, 2, 1 / 1000)}; main-thread long tasks ${ui.runs.map((u) => u.longTasks).join(', ')}; stroke → prediction p95 ${ui.runs.map((u) => fmt(u.strokeLatencyP95Ms, 1)).join(', ')} ms`,
    );
  if (results.native?.skipped) log(`native column skipped: ${results.native.skipped}`);
  else if (nat) log(`native: median ${fmt(nat.fitSeconds, 2)} s${range(nat.fitSpread, 2)}`);

  const pageS = ui?.trainingMs ? ui.trainingMs / 1000 : null;
  const workerS = rec?.wallMs ? rec.wallMs / 1000 : null;
  const nativeS = nat?.fitSeconds ?? null;
  const sparse = results.throughput.find((r) => r.variant === 'kernel sparse');
  // The band is the full recipe's (10 epochs at three seeds); a --quick run trains one epoch.
  const accs = rec && rec.runs.every((r) => r.epochsRun === 10) ? rec.runs.map((r) => r.testAccuracy) : [];
  log('\n| target (issue 15) | measured | met |');
  log('| --- | ---: | --- |');
  const target = (what, value, ok) => log(`| ${what} | ${value} | ${ok === null ? '—' : ok ? 'yes' : 'no'} |`);
  target(
    'native / page ≥ 1.0 (moonshot ≥ 1.5)',
    pageS && nativeS ? fmt(nativeS / pageS, 2) : '—',
    pageS && nativeS ? nativeS / pageS >= 1 : null,
  );
  target('kernel (sparse) ≥ 5× the tf.js WASM engine', sparse ? `${fmt(sparse.overTfjs, 2)}×` : '—', sparse ? sparse.overTfjs >= 5 : null);
  target('page / worker ≤ 1.1', pageS && workerS ? fmt(pageS / workerS, 2) : '—', pageS && workerS ? pageS / workerS <= 1.1 : null);
  target(
    '0 main-thread long tasks from Train to done',
    ui ? ui.runs.map((u) => u.longTasks).join(', ') : '—',
    ui ? ui.runs.every((u) => u.longTasks === 0) : null,
  );
  target(
    'stroke → prediction p95 < 50 ms while training',
    ui ? `${fmt(ui.strokeLatencyP95Ms, 1)} ms` : '—',
    ui ? ui.strokeLatencyP95Ms < 50 : null,
  );
  target(
    'test accuracy 96.4–97.2% at seeds 42, 1, 7 (worker)',
    accs.map((a) => `${fmt(a * 100, 2)}%`).join(' / ') || '—',
    accs.length ? accs.every((a) => a >= 0.964 && a <= 0.972) : null,
  );
  if (workerS && nativeS) log(`\nworker / native ${fmt(workerS / nativeS, 2)} (native / worker ${fmt(nativeS / workerS, 2)})`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const { readFile } = await import('node:fs/promises');
  printReport(JSON.parse(await readFile(process.argv[2] ?? 'bench-results.json', 'utf8')));
}
