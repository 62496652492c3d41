import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PixelCanvas } from '../PixelCanvas';
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../../shared/constants';
import { downloadBlob } from '../download';
import { formatConfidence } from './format';
import './insight.css';
import { grayToRgba } from '../../shared/grayImage';
import { dreamForDisplay } from './contrast';
import type { Dreams } from '../../shared/protocol';

export interface DreamsViewProps {
  /** TrainerApi.dream: resolves with the ten images of the current model, rejects saying why it could not. */
  dream(): Promise<Dreams>;
  /** Why dreaming cannot apply now (no model, training); null when it can. */
  disabledReason?: string | null;
}

/** Scale of each digit in the downloaded PNG. */
const PNG_SCALE = 4;

/**
 * "What does the network think a 3 looks like?": ten inputs synthesised by the worker so that
 * each digit's score is as high as it gets, shown with the model's confidence, downloadable as one PNG.
 */
export function DreamsView({ dream, disabledReason = null }: DreamsViewProps) {
  const { t } = useTranslation();
  const [dreams, setDreams] = useState<Dreams | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const disabled = disabledReason !== null;

  const start = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await dream();
      if (result.images.length !== NUM_CLASSES * IMAGE_PIXELS) setMessage(t('insight.dreams.malformed'));
      else setDreams(result);
    } catch (e) {
      setMessage(t('insight.dreams.failed', { reason: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel insight-dreams" aria-labelledby="insight-dreams-title">
      <div className="insight-head">
        <h2 id="insight-dreams-title">{t('insight.dreams.title')}</h2>
        <div className="insight-actions">
          <button
            type="button"
            data-testid="dream-button"
            disabled={disabled || busy}
            title={disabledReason ?? undefined}
            aria-busy={busy}
            onClick={() => void start()}
          >
            {busy ? t('insight.dreams.dreaming') : t('insight.dreams.dream')}
          </button>
          <button
            type="button"
            className="secondary"
            data-testid="dream-download"
            disabled={!dreams}
            onClick={() => dreams && void dreamsToPng(dreams).then((blob) => blob && downloadBlob(blob, 'mnist-dreams.png'))} // i18n-ignore: a file name
          >
            {t('insight.dreams.download')}
          </button>
        </div>
      </div>
      {message && (
        <p className="insight-error" role="alert">
          {message}
        </p>
      )}
      <p className="muted insight-caption">{t('insight.dreams.caption')}</p>
      {!dreams ? (
        <p className="muted insight-empty">{disabled ? disabledReason : t('insight.dreams.empty')}</p>
      ) : (
        <ol className="dreams" data-testid="dreams" aria-label={t('insight.dreams.listLabel')}>
          {Array.from({ length: NUM_CLASSES }, (_, d) => (
            <li key={d}>
              <DreamImage
                pixels={dreams.images.subarray(d * IMAGE_PIXELS, (d + 1) * IMAGE_PIXELS)}
                digit={d}
                confidence={dreams.confidences[d] ?? NaN}
              />
              <span className="dream-label">
                <strong>{d}</strong> <span className="muted">{formatConfidence(dreams.confidences[d] ?? NaN)}</span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** [784] values as an opaque grey ImageData, smoothed and contrast-stretched per image for display (see dreamForDisplay). */
function toImageData(pixels: Float32Array): ImageData {
  return new ImageData(grayToRgba(dreamForDisplay(pixels), 1), IMAGE_SIZE, IMAGE_SIZE);
}

function DreamImage({ pixels, digit, confidence }: { pixels: Float32Array; digit: number; confidence: number }) {
  const { t } = useTranslation();
  const rgba = useMemo(() => toImageData(pixels).data, [pixels]);
  return (
    <PixelCanvas
      rgba={rgba}
      className="dream-image"
      testId="dream-image"
      role="img"
      aria-label={t('insight.dreams.imageLabel', { digit, confidence: formatConfidence(confidence) })}
    />
  );
}

/** The ten dreams in a 5x2 grid, each scaled up with its digit and confidence under it. */
export function dreamsToPng(dreams: Dreams): Promise<Blob | null> {
  const side = IMAGE_SIZE * PNG_SCALE;
  const pad = 8;
  const labelH = 22;
  const cols = 5;
  const rows = Math.ceil(NUM_CLASSES / cols);
  const canvas = document.createElement('canvas');
  canvas.width = cols * (side + pad) + pad;
  canvas.height = rows * (side + labelH + pad) + pad;
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.resolve(null);
  ctx.fillStyle = '#0b1020';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const tile = document.createElement('canvas');
  tile.width = IMAGE_SIZE;
  tile.height = IMAGE_SIZE;
  const tileCtx = tile.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.font = '600 15px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let d = 0; d < NUM_CLASSES; d++) {
    const x = pad + (d % cols) * (side + pad);
    const y = pad + Math.floor(d / cols) * (side + labelH + pad);
    tileCtx?.putImageData(toImageData(dreams.images.subarray(d * IMAGE_PIXELS, (d + 1) * IMAGE_PIXELS)), 0, 0);
    ctx.drawImage(tile, x, y, side, side);
    ctx.fillStyle = '#e6e9f2';
    ctx.fillText(`${d}  ·  ${formatConfidence(dreams.confidences[d] ?? NaN)}`, x + side / 2, y + side + labelH / 2 + 2);
  }
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}
