import { useRef, useState } from 'react';
import type { MyDigitsApi } from '../../client/useMyDigits';
import { NUM_CLASSES } from '../../shared/constants';
import { nextPrompt } from '../../shared/myDigits';
import type { FineTuneSummary } from '../../shared/protocol';
import { DigitImage } from '../DigitStrip';
import { fineTuneLine, percent } from './format';
import './mine.css';

export interface MyDigitsPanelProps {
  mine: MyDigitsApi;
  /** The pad's current 28x28 input ([784] 0..1), or null when it is empty. */
  padInput: Float32Array | null;
  /** Called after the drawing was labelled and stored (the pad clears for the next one; not when storing failed). */
  onLabelled(): void;
  /** Version of the current model: the reading of your digits is shown only when it is of this model. */
  modelVersion: number;
  /** The current model's MNIST test accuracy, 0..1, when known. */
  testAccuracy: number | null;
  /** Starts fine-tuning (useTrainer.fineTune with the form's config); settles with the before/after figures. */
  onFineTune(): Promise<FineTuneSummary>;
  /** Why fine-tuning cannot apply now (beyond having no digits); null when it can. */
  fineTuneReason: string | null;
  /** Loads the shipped model trained on augmented images (useTrainer.loadBundledModel(true)). */
  onLoadRobust(): Promise<unknown>;
  /** Why loading a model cannot apply now; null when it can. */
  loadReason: string | null;
}

const DIGITS = Array.from({ length: NUM_CLASSES }, (_, d) => d);

/**
 * Your digits: label the drawing on the pad ("That's a 4", or prompted "Draw a 7"),
 * see how the current model reads them next to its MNIST test accuracy, fine-tune
 * on them, and keep them (gallery with delete, export and import).
 */
export function MyDigitsPanel({
  mine,
  padInput,
  onLabelled,
  modelVersion,
  testAccuracy,
  onFineTune,
  fineTuneReason,
  onLoadRobust,
  loadReason,
}: MyDigitsPanelProps) {
  const { digits, report } = mine;
  const [prompted, setPrompted] = useState(false);
  const [prompt, setPrompt] = useState<number | null>(null);
  const [tuning, setTuning] = useState(false);
  const [tuned, setTuned] = useState<FineTuneSummary | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [confirmClear, setConfirmClear] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const current = report && report.version === modelVersion && report.predicted.length === digits.length ? report : null;
  const accuracy = current?.accuracy ?? null;
  const right = current ? digits.filter((d, i) => current.predicted[i] === d.label).length : 0;
  const wanted = prompted ? (prompt ?? nextPrompt(digits)) : null;

  const label = async (digit: number) => {
    if (!padInput) return;
    // A digit that could not be stored keeps its drawing on the pad (the message says why).
    if (!(await mine.add(digit, padInput))) return;
    onLabelled();
    if (prompted) setPrompt(nextPrompt([...digits, { label: digit }], digit));
  };

  const fineTune = () => {
    setTuning(true);
    setMessage(null);
    onFineTune()
      .then(setTuned, (e: unknown) => setMessage(`Fine-tuning did not finish: ${e instanceof Error ? e.message : String(e)}`))
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

  const noDrawing = padInput ? null : 'Draw a digit on the pad first.';
  const fineTuneBlocked = tuning ? 'Fine-tuning…' : (fineTuneReason ?? (digits.length ? null : 'Label some of your digits first.'));

  return (
    <section className="panel mine" aria-labelledby="mine-title" data-testid="my-digits">
      <div className="mine-head">
        <h2 id="mine-title">Your digits</h2>
        <label className="mine-prompted">
          <input
            type="checkbox"
            data-testid="prompted-mode"
            checked={prompted}
            onChange={(e) => {
              setPrompted(e.target.checked);
              setPrompt(null);
            }}
          />{' '}
          Prompt me
        </label>
      </div>
      <p className="mine-ask" data-testid="my-digits-prompt" data-digit={wanted ?? ''}>
        {wanted !== null ? (
          <>
            Draw a <strong className="mine-wanted">{wanted}</strong> on the pad, then press it below.
          </>
        ) : (
          'Teach it your handwriting: draw a digit, then say which it is.'
        )}
      </p>
      <div className="mine-labels" role="group" aria-label="Label the drawing as">
        <span className="muted">That’s a</span>
        {DIGITS.map((d) => (
          <button
            key={d}
            type="button"
            className={d === wanted ? 'mine-digit wanted' : 'mine-digit'}
            data-testid={`label-digit-${d}`}
            disabled={noDrawing !== null}
            title={noDrawing ?? `Keep this drawing as a ${d}`}
            aria-label={`That's a ${d}: keep the drawing as a ${d}`}
            onClick={() => void label(d)}
          >
            {d}
          </button>
        ))}
      </div>

      <div className="mine-figures">
        <div className="big-figure">
          <span className="label">Your digits</span>
          <strong data-testid="my-digits-accuracy" data-value={accuracy ?? ''}>
            {accuracy === null ? '—' : percent(accuracy)}
          </strong>
          <span className="muted">{current ? `${right} of ${digits.length} read right` : digits.length ? 'reading…' : 'none yet'}</span>
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
          title={fineTuneBlocked ?? 'Continue training the current model on MNIST mixed with your digits'}
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
      {tuned && tuned.run.version === modelVersion && (
        <p className="mine-result" data-testid="fine-tune-result" role="status">
          {fineTuneLine(tuned)}
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
                className={misread ? 'misread' : undefined}
                data-testid="my-digit"
                data-label={d.label}
                data-predicted={read ?? ''}
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
}
