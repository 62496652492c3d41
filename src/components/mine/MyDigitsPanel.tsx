import { memo, useMemo, useRef, useState } from 'react';
import type { MyDigitsApi } from '../../client/useMyDigits';
import { toDigitSet, type DigitSet } from '../../shared/myDigits';
import type { FineTuneSummary } from '../../shared/protocol';
import { DigitImage } from '../DigitStrip';
import { fineTuneLine, percent } from './format';
import { heldOutMask, MIN_HELD_OUT, MIN_MEASURED, splitAccuracy } from './heldOut';
import './mine.css';

export interface MyDigitsPanelProps {
  mine: MyDigitsApi;
  /** Version of the current model: the reading of your digits is shown only when it is of this model. */
  modelVersion: number;
  /** The current model's MNIST test accuracy, 0..1, when known. */
  testAccuracy: number | null;
  /** Starts fine-tuning (useTrainer.fineTune with the form's config) on these digits; settles with the before/after figures. */
  onFineTune(digits: DigitSet): Promise<FineTuneSummary>;
  /** Why fine-tuning cannot apply now (beyond having no digits); null when it can. */
  fineTuneReason: string | null;
  /** Loads the shipped model trained on augmented images (useTrainer.loadBundledModel(true)). */
  onLoadRobust(): Promise<unknown>;
  /** Why loading a model cannot apply now; null when it can. */
  loadReason: string | null;
}

/**
 * Your digits (labelled under the pad): how the current model reads them next to its MNIST
 * test accuracy, on the held-out few apart (heldOut.ts), fine-tuning on the rest, and the
 * gallery with delete, export and import.
 */
export const MyDigitsPanel = memo(function MyDigitsPanel({
  mine,
  modelVersion,
  testAccuracy,
  onFineTune,
  fineTuneReason,
  onLoadRobust,
  loadReason,
}: MyDigitsPanelProps) {
  const { digits, report } = mine;
  const [tuning, setTuning] = useState(false);
  const [tuned, setTuned] = useState<{ summary: FineTuneSummary; heldOutBefore: number | null } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [confirmClear, setConfirmClear] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const current = report && report.version === modelVersion && report.predicted.length === digits.length ? report : null;
  const measured = digits.length >= MIN_MEASURED;
  const accuracy = measured ? (current?.accuracy ?? null) : null;
  const right = current ? digits.filter((d, i) => current.predicted[i] === d.label).length : 0;
  const mask = useMemo(() => heldOutMask(digits.map((d) => d.label)), [digits]);
  const split = current
    ? splitAccuracy(
        digits.map((d) => d.label),
        current.predicted,
        mask,
      )
    : null;
  const heldOutCount = mask.filter(Boolean).length;
  /** Fine-tuning learns from the others only, so the held-out figure stays honest. */
  const learnFrom = useMemo(() => toDigitSet(digits.filter((_, i) => !mask[i])), [digits, mask]);

  const fineTune = () => {
    setTuning(true);
    setMessage(null);
    const heldOutBefore = split?.heldOut ?? null;
    onFineTune(learnFrom)
      .then(
        (summary) => setTuned({ summary, heldOutBefore }),
        (e: unknown) => setMessage(`Fine-tuning did not finish: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(() => setTuning(false));
  };

  const exportFile = () => {
    const url = URL.createObjectURL(new Blob([mine.exportText()], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `my-digits-${digits.length}.digits.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const n = await mine.importText(await file.text());
      setMessage(`Imported ${n} digit${n === 1 ? '' : 's'} from ${file.name}.`);
    } catch (e) {
      setMessage(`${file.name} was not imported: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  const fineTuneBlocked = tuning ? 'Fine-tuning…' : (fineTuneReason ?? (digits.length ? null : 'Label some of your digits first.'));

  return (
    <section className="panel mine" aria-labelledby="mine-title" data-testid="my-digits">
      <div className="mine-head">
        <h2 id="mine-title">Your digits</h2>
        <span className="muted">Label drawings under the pad (or press 0–9).</span>
      </div>

      <div className="mine-figures">
        <div className="big-figure">
          <span className="label">Your digits</span>
          <strong data-testid="my-digits-accuracy" data-value={accuracy ?? ''}>
            {accuracy === null ? '—' : percent(accuracy)}
          </strong>
          <span className="muted">
            {!digits.length
              ? 'none yet'
              : !measured
                ? 'label a few more to measure'
                : current
                  ? `${right} of ${digits.length} read right`
                  : 'reading…'}
          </span>
        </div>
        <div className="big-figure">
          <span className="label">Held out</span>
          <strong data-testid="my-digits-heldout-accuracy" data-value={split?.heldOut ?? ''} data-count={heldOutCount}>
            {split?.heldOut == null ? '—' : percent(split.heldOut)}
          </strong>
          <span className="muted">
            {heldOutCount < MIN_HELD_OUT
              ? `label a few more to measure (${heldOutCount} of ${MIN_HELD_OUT} kept aside)`
              : split
                ? `${split.heldOutRight} of ${split.heldOutCount} never learned from`
                : 'reading…'}
          </span>
        </div>
        <div className="big-figure">
          <span className="label">MNIST test</span>
          <strong data-testid="mine-test-accuracy">{testAccuracy === null ? '—' : percent(testAccuracy)}</strong>
          <span className="muted">{testAccuracy === null ? 'not evaluated yet' : '10,000 test images'}</span>
        </div>
        <div className="big-figure">
          <span className="label">Kept</span>
          <strong data-testid="my-digits-count" data-value={digits.length}>
            {digits.length}
          </strong>
          <span className="muted">in this browser</span>
        </div>
      </div>

      <div className="mine-actions">
        <button
          type="button"
          data-testid="fine-tune-button"
          disabled={fineTuneBlocked !== null}
          title={
            fineTuneBlocked ??
            `Continue training the current model on MNIST mixed with ${learnFrom.labels.length} of your digits (the ${heldOutCount} held out stay unseen)`
          }
          aria-busy={tuning}
          onClick={fineTune}
        >
          {tuning ? 'Fine-tuning…' : 'Fine-tune on your digits'}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="load-robust-button"
          disabled={loadReason !== null}
          title={
            loadReason ??
            'The reference recipe trained on shifted, turned, slanted, thickened and thinned copies of MNIST: it reads drawn digits a little better'
          }
          onClick={() => {
            setMessage(null);
            onLoadRobust().catch((e: unknown) =>
              setMessage(`The robust model did not load: ${e instanceof Error ? e.message : String(e)}`),
            );
          }}
        >
          Try the robust model
        </button>
        <button type="button" className="secondary" data-testid="my-digits-export" disabled={!digits.length} onClick={exportFile}>
          Export
        </button>
        <label className="secondary button-like">
          Import
          <input
            ref={fileRef}
            type="file"
            accept=".json,application/json"
            data-testid="my-digits-import"
            className="mine-file"
            onChange={(e) => void importFile(e.target.files?.[0])}
          />
        </label>
        {confirmClear ? (
          <>
            <button
              type="button"
              className="danger"
              data-testid="my-digits-clear-confirm"
              onClick={() => void mine.clear().then(() => setConfirmClear(false))}
            >
              Delete all {digits.length}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmClear(false)}>
              Keep them
            </button>
          </>
        ) : (
          <button
            type="button"
            className="secondary"
            data-testid="my-digits-clear"
            disabled={!digits.length}
            onClick={() => setConfirmClear(true)}
          >
            Delete all…
          </button>
        )}
      </div>
      {tuned && tuned.summary.run.version === modelVersion && (
        <p className="mine-result" data-testid="fine-tune-result" role="status">
          {fineTuneLine(tuned.summary)}{' '}
          <span data-testid="fine-tune-heldout">
            {heldOutCount < MIN_HELD_OUT
              ? `Held out: label a few more to measure (${heldOutCount} of ${MIN_HELD_OUT} kept aside).`
              : split?.heldOut != null
                ? `Held out (never learned from): ${tuned.heldOutBefore === null ? '?' : percent(tuned.heldOutBefore)} → ${percent(split.heldOut)}.`
                : 'Held out: reading…'}
          </span>
        </p>
      )}
      {(message ?? mine.problem) && (
        <p className="mine-message" data-testid="my-digits-message" role="status">
          {message ?? mine.problem}
        </p>
      )}

      {digits.length > 0 && (
        <ol className="mine-gallery" aria-label="Your labelled digits" data-testid="my-digits-gallery">
          {digits.map((d, i) => {
            const read = current?.predicted[i];
            const misread = read !== undefined && read !== d.label;
            return (
              <li
                key={d.id}
                className={[misread ? 'misread' : '', mask[i] ? 'held-out' : ''].join(' ').trim() || undefined}
                data-testid="my-digit"
                data-label={d.label}
                data-predicted={read ?? ''}
                data-held-out={mask[i] ? 'true' : undefined}
                title={mask[i] ? 'Held out: fine-tuning never learns from this one' : undefined}
              >
                <DigitImage pixels={d.pixels} label={`your ${d.label}${misread ? `, read as ${read}` : ''}`} />
                <span className="mine-tag">
                  {d.label}
                  {misread && <span className="mine-read"> → {read}</span>}
                </span>
                <button
                  type="button"
                  className="mine-delete"
                  aria-label={`Delete this ${d.label}`}
                  title="Delete"
                  onClick={() => void mine.remove(d.id)}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
});
