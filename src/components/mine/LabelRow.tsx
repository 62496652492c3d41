import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { MyDigitsApi } from '../../client/useMyDigits';
import { NUM_CLASSES } from '../../shared/constants';
import { nextPrompt, type MyDigit } from '../../shared/myDigits';
import './mine.css';

const DIGITS = Array.from({ length: NUM_CLASSES }, (_, d) => d);

/** Prompted labelling: whether it is on, and the digit to ask for next (the one you have fewest of). */
export function usePrompt(digits: readonly Pick<MyDigit, 'label'>[]) {
  const [prompted, setPromptedState] = useState(false);
  const [prompt, setPrompt] = useState<number | null>(null);
  const wanted = prompted ? (prompt ?? nextPrompt(digits)) : null;
  const setPrompted = useCallback((on: boolean) => {
    setPromptedState(on);
    setPrompt(null);
  }, []);
  /** After a digit was labelled: ask for the next one. */
  const advance = useCallback((labelled: number, all: readonly Pick<MyDigit, 'label'>[]) => setPrompt(nextPrompt(all, labelled)), []);
  return { prompted, setPrompted, wanted, advance };
}

export interface LabelRowProps {
  mine: Pick<MyDigitsApi, 'add' | 'remove' | 'digits' | 'problem'>;
  /** The pad's current 28x28 input ([784] 0..1), or null when it is empty. */
  padInput: Float32Array | null;
  /** Clears the pad for the next digit / brings the drawing back. */
  clearPad(): void;
  undoPad(): void;
  prompt: ReturnType<typeof usePrompt>;
}

/** Keys typed into these are not labels. */
function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * "That's a 0 … 9" right under the pad: a press (or the key 0–9) keeps the drawing as that
 * digit, clears the pad for the next one and offers Undo (which deletes it and brings the
 * drawing back). With "Prompt me" the pad asks for the digit you have fewest of.
 */
export const LabelRow = memo(function LabelRow({ mine, padInput, clearPad, undoPad, prompt }: LabelRowProps) {
  /** The digit just kept, while its Undo still applies (until a new drawing starts). */
  const { t } = useTranslation();
  const [justKept, setJustKept] = useState<{ digit: MyDigit; padCleared: boolean } | null>(null);
  if (justKept && !justKept.padCleared && padInput === null) setJustKept({ ...justKept, padCleared: true });
  if (justKept && justKept.padCleared && padInput !== null) setJustKept(null);
  const kept = justKept?.digit ?? null;
  const busy = useRef(false);
  const noDrawing = padInput ? null : t('label.noDrawing');

  const label = useCallback(
    async (digit: number) => {
      if (!padInput || busy.current) return;
      busy.current = true;
      try {
        const stored = await mine.add(digit, padInput);
        if (!stored) return; // not stored: the drawing stays on the pad, the message says why
        setJustKept({ digit: stored, padCleared: false });
        clearPad();
        if (prompt.prompted) prompt.advance(digit, [...mine.digits, stored]);
      } finally {
        busy.current = false;
      }
    },
    [padInput, mine, clearPad, prompt],
  );

  const undo = async () => {
    if (!kept) return;
    setJustKept(null);
    await mine.remove(kept.id);
    undoPad();
  };

  // Keys 0–9 label the drawing (not while typing in a field, not with a modifier).
  const labelRef = useRef(label);
  useEffect(() => {
    labelRef.current = label;
  }, [label]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || typingInto(e.target)) return;
      if (!/^[0-9]$/.test(e.key)) return;
      e.preventDefault();
      void labelRef.current(Number(e.key));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const wanted = prompt.wanted;
  return (
    <div className="label-row" data-testid="label-row">
      <div className="mine-labels" role="group" aria-label={t('label.group')}>
        {DIGITS.map((d) => (
          <button
            key={d}
            type="button"
            className={d === wanted ? 'secondary mine-digit wanted' : 'secondary mine-digit'}
            data-testid={`label-digit-${d}`}
            disabled={noDrawing !== null}
            title={noDrawing ?? t('label.keepTitle', { digit: d })}
            aria-label={t('label.keepLabel', { digit: d })}
            onClick={() => void label(d)}
          >
            {d}
          </button>
        ))}
      </div>
      <div className="label-status">
        <label className="mine-prompted">
          <input
            type="checkbox"
            data-testid="prompted-mode"
            checked={prompt.prompted}
            onChange={(e) => prompt.setPrompted(e.target.checked)}
          />{' '}
          {t('label.promptMe')}
        </label>
        <span className="muted label-feedback" data-testid="my-digits-prompt" data-digit={wanted ?? ''} role="status">
          {kept && (
            <>
              <Trans i18nKey="label.kept" values={{ digit: kept.label, count: mine.digits.length }} components={{ b: <strong /> }} />{' '}
              <button type="button" className="link" data-testid="label-undo" onClick={() => void undo()}>
                {t('label.undo')}
              </button>{' '}
            </>
          )}
          {wanted !== null ? (
            <>
              <Trans i18nKey="label.wanted" values={{ digit: wanted }} components={{ b: <strong className="mine-wanted" /> }} />
            </>
          ) : mine.problem ? (
            mine.problem
          ) : (
            !kept && t('label.hint')
          )}
        </span>
      </div>
    </div>
  );
});
