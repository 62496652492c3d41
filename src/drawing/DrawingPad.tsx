import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { Trans, useTranslation } from 'react-i18next';
import { msg, say, type Words } from '../i18n/message';
import { PredictionPanel, argmax, confidenceText } from './PredictionPanel';
import { useVerdictAids } from './useVerdictAids';
import { verdict, type Verdict } from './verdict';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../shared/constants';
import { DrawingController, type DrawingCallbacks, type InputInfo, type PadContent, type PredictResult } from './drawingController';
import './drawing.css';

/** A 28x28 image to show and predict instead of a drawing (e.g. a gallery digit). */
export interface ExternalInput {
  /** [784], white ink on black: Float32Array 0..1, or Uint8Array 0..255 (as the dataset stores them). */
  pixels: Float32Array | Uint8Array;
  /** Shown under the prediction, e.g. "test digit #42, labelled 4" (words, or a message to word). */
  label?: Words;
  /** Change it to load the image (again); the same key is loaded once. */
  key: number;
}

export interface DrawingPadProps {
  /** Classifies [784] pixels 0..1, white ink on black (useTrainer's `predict`). */
  predict: (pixels: Float32Array) => Promise<PredictResult>;
  /** Changes when the model's weights change: the current drawing is predicted again. */
  refreshKey: number;
  /** When its `key` changes: the strokes are cleared and this image is shown and predicted. */
  externalInput?: ExternalInput | null;
  /** Receives every 28x28 input sent to the model ([784], 0..1), or null when the pad is empty. */
  onInput?: (pixels: Float32Array | null) => void;
  /** Change it to clear the pad (e.g. after the drawing was labelled). */
  clearKey?: number;
  /** Change it to undo (after a clear: the drawing comes back). */
  undoKey?: number;
  /** A digit to ask for on the pad itself ("Draw a 5"), or null. */
  prompt?: number | null;
  /** Shown right under the pad (before the answer's bars on a phone): the label row. */
  children?: ReactNode;
}

/** What a screen reader hears for a verdict. */
function describeVerdict(t: TFunction, v: Verdict): string {
  if (v.kind === 'digit') return t('draw.sayDigit', { digit: v.digit, confidence: confidenceText(t, v.score) });
  if (v.kind === 'unsure') return t('draw.sayUnsure', { digit: v.digit, runnerUp: v.runnerUp });
  return t('draw.sayNotDigit', { why: t(`draw.why.${v.reason ?? 'unlike-digit'}`), digit: v.digit });
}

function toUnitPixels(pixels: Float32Array | Uint8Array): Float32Array {
  if (pixels instanceof Float32Array) return pixels.slice();
  const out = new Float32Array(IMAGE_PIXELS);
  for (let i = 0; i < IMAGE_PIXELS; i++) out[i] = (pixels[i] ?? 0) / 255;
  return out;
}

/**
 * A square drawing canvas (mouse, pen or finger), the 28x28 image the model sees,
 * and the model's live prediction with ten probability bars.
 */
export const DrawingPad = memo(function DrawingPad({
  predict,
  refreshKey,
  externalInput,
  onInput,
  clearKey,
  undoKey,
  prompt = null,
  children,
}: DrawingPadProps) {
  const { t } = useTranslation();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const previewRef = useRef<HTMLCanvasElement>(null);
  const controllerRef = useRef<DrawingController | null>(null);
  const callbacksRef = useRef<DrawingCallbacks | null>(null);
  const announcedRef = useRef({ version: -1, digit: -1 });

  const [shown, setShown] = useState<{ result: PredictResult | null; info: InputInfo; pixels?: Float32Array } | null>(null);
  const { aids, aidsRef } = useVerdictAids();
  const result = shown?.result ?? null;
  const [content, setContent] = useState<PadContent>('empty');
  const [announcement, setAnnouncement] = useState<Words>('');

  // The controller reads the latest props through this ref.
  useLayoutEffect(() => {
    callbacksRef.current = {
      predict,
      onInput,
      onContentChange: setContent,
      onResult: (r, { pixels, ...info }) => {
        setShown({ result: r, info, pixels });
        const { inputVersion, settled } = info;
        if (!settled) return;
        // Announce a finished action's result, and later changes of mind (training goes on).
        const last = announcedRef.current;
        const digit = r?.probs ? argmax(r.probs) : -1;
        if (inputVersion === last.version && digit === last.digit) return;
        announcedRef.current = { version: inputVersion, digit };
        if (r?.probs && pixels)
          setAnnouncement(describeVerdict(t, verdict(r.probs, pixels, aidsRef.current.shapes, aidsRef.current.check)));
        else setAnnouncement(r?.reason ?? msg('draw.cleared'));
      },
    };
  }, [predict, onInput, t, aidsRef]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const preview = previewRef.current;
    if (!canvas || !preview) return;
    const controller = new DrawingController(canvas, preview, () => callbacksRef.current as DrawingCallbacks);
    controllerRef.current = controller;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (!entry) return;
      const wanted = entry.contentRect.width * (window.devicePixelRatio || 1);
      // The exact device-pixel size where the browser knows it (and it agrees: device
      // emulation in headless Chromium reports CSS pixels there).
      const exact = entry.devicePixelContentBoxSize?.[0]?.inlineSize;
      controller.resize(exact !== undefined && Math.abs(exact - wanted) <= 2 ? exact : wanted);
    });
    observer.observe(canvas);
    // Zooming changes devicePixelRatio, and fires resize.
    const onWindowResize = () => controller.resize();
    window.addEventListener('resize', onWindowResize);
    controller.resize();
    // Native listeners: React's synthetic pointer events cost nothing here, but
    // getCoalescedEvents needs the native event anyway.
    const down = (e: PointerEvent) => controller.pointerDown(e);
    const move = (e: PointerEvent) => controller.pointerMove(e);
    const up = (e: PointerEvent) => controller.pointerUp(e);
    canvas.addEventListener('pointerdown', down);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);
    canvas.addEventListener('lostpointercapture', up);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', onWindowResize);
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', up);
      canvas.removeEventListener('lostpointercapture', up);
      controller.dispose();
      controllerRef.current = null;
    };
  }, []);

  useEffect(() => {
    controllerRef.current?.refresh();
  }, [refreshKey]);

  useEffect(() => {
    if (clearKey) controllerRef.current?.clear();
  }, [clearKey]);

  useEffect(() => {
    if (undoKey) controllerRef.current?.undo();
  }, [undoKey]);

  // The benchmark's end point: a prediction for a finished drawing (no stroke under
  // way when its input was taken) is in the DOM. Its start point is `stroke-end`.
  useLayoutEffect(() => {
    if (!shown?.result || !shown.info.settled) return;
    const probs = shown.result.probs;
    performance.mark('prediction-rendered', { detail: { digit: probs ? argmax(probs) : null, inputVersion: shown.info.inputVersion } });
  }, [shown]);

  const shownVerdict = useMemo(
    () => (shown?.result?.probs && shown.pixels ? verdict(shown.result.probs, shown.pixels, aids.shapes, aids.check) : null),
    [shown, aids],
  );

  const externalKey = externalInput?.key;
  const externalRef = useRef(externalInput);
  useLayoutEffect(() => {
    externalRef.current = externalInput;
  });
  useEffect(() => {
    const ext = externalRef.current;
    if (externalKey === undefined || !ext) return;
    controllerRef.current?.loadExternal(toUnitPixels(ext.pixels));
  }, [externalKey]);

  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      controllerRef.current?.undo();
    } else if (e.key === 'Delete' || e.key === 'Escape') {
      controllerRef.current?.clear();
    }
  };

  return (
    <div className="drawing-pad">
      <div className="drawing-surface">
        <canvas
          ref={canvasRef}
          className="draw-canvas"
          data-testid="draw-canvas"
          data-content={content}
          tabIndex={0}
          role="img"
          aria-label={t('draw.padLabel')}
          onKeyDown={onKeyDown}
        />
        {prompt !== null ? (
          <span
            className={content === 'empty' ? 'draw-hint pad-prompt' : 'pad-prompt is-corner'}
            data-testid="pad-prompt"
            aria-hidden="true"
          >
            <Trans i18nKey="draw.prompt" values={{ digit: prompt }} components={{ b: <strong /> }} />
          </span>
        ) : (
          content === 'empty' && (
            <span className="draw-hint" aria-hidden="true">
              {t('draw.hint')}
            </span>
          )
        )}
        <div className="drawing-actions">
          <button
            type="button"
            className="secondary"
            data-testid="undo-button"
            onClick={() => controllerRef.current?.undo()}
            title={t('draw.undoTitle')}
          >
            {t('draw.undo')}
          </button>
          <button type="button" className="secondary" data-testid="clear-button" onClick={() => controllerRef.current?.clear()}>
            {t('draw.clear')}
          </button>
        </div>
      </div>
      {children && <div className="drawing-under">{children}</div>}
      <div className="drawing-side">
        <figure className="model-input">
          <canvas
            ref={previewRef}
            width={IMAGE_SIZE}
            height={IMAGE_SIZE}
            className="model-input-preview"
            data-testid="model-input-preview"
            role="img"
            aria-label={t('draw.previewLabel')}
          />
          <figcaption>{t('draw.preview')}</figcaption>
        </figure>
        <PredictionPanel
          probs={result?.probs ?? null}
          verdict={shownVerdict}
          reason={result?.reason ?? null}
          announcement={say(t, announcement)}
          caption={content === 'external' ? (externalInput?.label ?? null) : null}
        />
      </div>
    </div>
  );
});
