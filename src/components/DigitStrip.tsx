import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { IMAGE_PIXELS } from '../shared/constants';
import { grayToRgba } from '../shared/grayImage';
import { PixelCanvas } from './PixelCanvas';

/** A row of MNIST digits drawn from raw bytes, each with its label under it. */
export const DigitStrip = memo(function DigitStrip({ pixels, labels }: { pixels: Uint8Array; labels: number[] }) {
  const { t } = useTranslation();
  return (
    <ol className="digit-strip" aria-label={t('data.strip')} data-testid="sample-strip">
      {labels.map((label, i) => (
        <li key={i}>
          <DigitImage pixels={pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS)} label={t('data.digitLabelled', { label })} />
          <span data-testid="sample-label">{label}</span>
        </li>
      ))}
    </ol>
  );
});

/** One 28x28 digit (bytes 0..255, white ink on black), scaled up crisply by CSS; decorative (hidden from screen readers) when `label` is empty. */
export const DigitImage = memo(function DigitImage({
  pixels,
  label,
  className,
}: {
  pixels: Uint8Array;
  label: string;
  className?: string;
}) {
  const rgba = useMemo(() => grayToRgba(pixels, 255), [pixels]);
  const a11y = label ? ({ role: 'img', 'aria-label': label } as const) : ({ 'aria-hidden': true } as const);
  return <PixelCanvas rgba={rgba} className={className ?? 'digit'} {...a11y} />;
});
