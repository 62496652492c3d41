import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { msg, type Msg } from '../i18n/message';
import type { DataInfo } from '../shared/protocol';
import { IMAGE_PIXELS } from '../shared/constants';

interface Props {
  /** The loaded data set (its sample test digits), or null while loading. */
  dataset: DataInfo | null;
  /** Shows a digit ([784] pixels 0..1, white on black) in the drawing pad, with a caption. */
  onLoad(pixels: Float32Array, label: string | Msg): void;
}

/**
 * "Load a random test digit": a way to try the pad without a pointer (keyboard, switch access),
 * and a quick way for anyone to see what real MNIST digits get. Picks one of the sample
 * test digits, never the same one twice in a row.
 */
export function TryTestDigit({ dataset, onLoad }: Props) {
  const { t } = useTranslation();
  const last = useRef(-1);
  const count = dataset?.sampleLabels.length ?? 0;
  const load = () => {
    if (!dataset || count === 0) return;
    let i = Math.floor(Math.random() * count);
    if (count > 1 && i === last.current) i = (i + 1) % count;
    last.current = i;
    const bytes = dataset.samplePixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
    const pixels = new Float32Array(IMAGE_PIXELS);
    for (let p = 0; p < IMAGE_PIXELS; p++) pixels[p] = (bytes[p] ?? 0) / 255;
    onLoad(pixels, msg('draw.testDigit', { index: i, label: dataset.sampleLabels[i] ?? '' }));
  };
  return (
    <button
      type="button"
      className="secondary try-digit"
      data-testid="try-test-digit"
      disabled={count === 0}
      title={count === 0 ? t('refusals.dataLoading') : t('draw.tryDigitTitle')}
      onClick={load}
    >
      {t('draw.tryDigit')}
    </button>
  );
}
