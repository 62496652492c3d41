import { memo, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInteger } from '../../i18n/format';
import { errorMessage, messageText } from '../../client/localMessage';
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
  const { t } = useTranslation();
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
        (e: unknown) => setMessage(t('mine.fineTune.failed', { reason: e instanceof Error ? e.message : String(e) })),
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
      setMessage(t('mine.imported', { count: n, n: formatInteger(n), name: file.name }));
    } catch (e) {
      setMessage(t('mine.notImported', { name: file.name, reason: messageText(t, errorMessage(e)) }));
    } finally {
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  const fineTuneBlocked = tuning ? t('mine.fineTune.running') : (fineTuneReason ?? (digits.length ? null : t('mine.fineTune.noDigits')));

  return (
    <section className="panel mine" aria-labelledby="mine-title" data-testid="my-digits">
      <div className="mine-head">
        <h2 id="mine-title">{t('mine.title')}</h2>
        <span className="muted">{t('mine.hint')}</span>
      </div>

      <div className="mine-figures">
        <div className="big-figure">
          <span className="label">{t('mine.figures.yours')}</span>
          <strong data-testid="my-digits-accuracy" data-value={accuracy ?? ''}>
            {accuracy === null ? '—' : percent(accuracy)}
          </strong>
          <span className="muted">
            {!digits.length
              ? t('mine.figures.noneYet')
              : !measured
                ? t('mine.figures.labelMore')
                : current
                  ? t('mine.figures.readRight', { right: formatInteger(right), total: formatInteger(digits.length) })
                  : t('mine.figures.reading')}
          </span>
        </div>
        <div className="big-figure">
          <span className="label">{t('mine.figures.heldOut')}</span>
          <strong data-testid="my-digits-heldout-accuracy" data-value={split?.heldOut ?? ''} data-count={heldOutCount}>
            {split?.heldOut == null ? '—' : percent(split.heldOut)}
          </strong>
          <span className="muted">
            {heldOutCount < MIN_HELD_OUT
              ? t('mine.figures.heldOutMore', { n: heldOutCount, min: MIN_HELD_OUT })
              : split
                ? t('mine.figures.heldOutRight', { right: formatInteger(split.heldOutRight), total: formatInteger(split.heldOutCount) })
                : t('mine.figures.reading')}
          </span>
        </div>
        <div className="big-figure">
          <span className="label">{t('mine.figures.test')}</span>
          <strong data-testid="mine-test-accuracy">{testAccuracy === null ? '—' : percent(testAccuracy)}</strong>
          <span className="muted">
            {testAccuracy === null ? t('mine.figures.notEvaluated') : t('mine.figures.testImages', { n: formatInteger(10_000) })}
          </span>
        </div>
        <div className="big-figure">
          <span className="label">{t('mine.figures.kept')}</span>
          <strong data-testid="my-digits-count" data-value={digits.length}>
            {digits.length}
          </strong>
          <span className="muted">{t('mine.figures.inBrowser')}</span>
        </div>
      </div>

      <div className="mine-actions">
        <button
          type="button"
          data-testid="fine-tune-button"
          disabled={fineTuneBlocked !== null}
          title={
            fineTuneBlocked ??
            t('mine.fineTune.why', { learn: formatInteger(learnFrom.labels.length), heldOut: formatInteger(heldOutCount) })
          }
          aria-busy={tuning}
          onClick={fineTune}
        >
          {tuning ? t('mine.fineTune.running') : t('mine.fineTune.button')}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="load-robust-button"
          disabled={loadReason !== null}
          title={loadReason ?? t('mine.robust.why')}
          onClick={() => {
            setMessage(null);
            onLoadRobust().catch((e: unknown) =>
              setMessage(t('mine.robust.failed', { reason: e instanceof Error ? e.message : String(e) })),
            );
          }}
        >
          {t('mine.robust.button')}
        </button>
        <button type="button" className="secondary" data-testid="my-digits-export" disabled={!digits.length} onClick={exportFile}>
          {t('mine.export')}
        </button>
        <label className="secondary button-like">
          {t('mine.import')}
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
              {t('mine.deleteAllConfirm', { n: formatInteger(digits.length) })}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmClear(false)}>
              {t('mine.keepThem')}
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
            {t('mine.deleteAll')}
          </button>
        )}
      </div>
      {tuned && tuned.summary.run.version === modelVersion && (
        <p className="mine-result" data-testid="fine-tune-result" role="status">
          {fineTuneLine(t, tuned.summary)}{' '}
          <span data-testid="fine-tune-heldout">
            {heldOutCount < MIN_HELD_OUT
              ? t('mine.fineTune.heldOutMore', { n: heldOutCount, min: MIN_HELD_OUT })
              : split?.heldOut != null
                ? t('mine.fineTune.heldOut', {
                    before: tuned.heldOutBefore === null ? '?' : percent(tuned.heldOutBefore),
                    after: percent(split.heldOut),
                  })
                : t('mine.fineTune.heldOutReading')}
          </span>
        </p>
      )}
      {(message ?? mine.problem) && (
        <p className="mine-message" data-testid="my-digits-message" role="status">
          {message ?? mine.problem}
        </p>
      )}

      {digits.length > 0 && (
        <ol className="mine-gallery" aria-label={t('mine.galleryLabel')} data-testid="my-digits-gallery">
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
                title={mask[i] ? t('mine.heldOutTitle') : undefined}
              >
                <DigitImage
                  pixels={d.pixels}
                  label={misread ? t('mine.digitMisread', { label: d.label, read }) : t('mine.digitLabel', { label: d.label })}
                />
                <span className="mine-tag">
                  {d.label}
                  {misread && <span className="mine-read"> → {read}</span>}
                </span>
                <button
                  type="button"
                  className="mine-delete"
                  aria-label={t('mine.deleteDigit', { label: d.label })}
                  title={t('mine.delete')}
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
