import { useEffect, useRef } from 'react';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../shared/constants';
import { grayToRgba } from '../shared/grayImage';

/** A row of MNIST digits drawn from raw bytes, each with its label under it. */
export function DigitStrip({ pixels, labels }: { pixels: Uint8Array; labels: number[] }) {
  return (
    <ol className="digit-strip" aria-label="Sample test digits and their labels" data-testid="sample-strip">
      {labels.map((label, i) => (
        <li key={i}>
          <DigitImage pixels={pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS)} label={`digit labelled ${label}`} />
          <span data-testid="sample-label">{label}</span>
        </li>
      ))}
    </ol>
  );
}

/** One 28x28 digit (bytes 0..255, white ink on black), scaled up crisply by CSS; decorative (hidden from screen readers) when `label` is empty. */
export function DigitImage({ pixels, label, className }: { pixels: Uint8Array; label: string; className?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(grayToRgba(pixels, 255), IMAGE_SIZE, IMAGE_SIZE), 0, 0);
  }, [pixels]);
  const a11y = label ? ({ role: 'img', 'aria-label': label } as const) : ({ 'aria-hidden': true } as const);
  return <canvas ref={ref} width={IMAGE_SIZE} height={IMAGE_SIZE} className={className ?? 'digit'} {...a11y} />;
}
