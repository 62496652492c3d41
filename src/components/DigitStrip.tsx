import { useEffect, useRef } from 'react';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../shared/constants';

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

/** One 28x28 digit (bytes 0..255, white ink on black), scaled up crisply by CSS. */
export function DigitImage({ pixels, label, className }: { pixels: Uint8Array; label: string; className?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(IMAGE_SIZE, IMAGE_SIZE);
    for (let i = 0; i < IMAGE_PIXELS; i++) {
      const v = pixels[i] ?? 0;
      img.data[i * 4] = v;
      img.data[i * 4 + 1] = v;
      img.data[i * 4 + 2] = v;
      img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [pixels]);
  return <canvas ref={ref} width={IMAGE_SIZE} height={IMAGE_SIZE} className={className ?? 'digit'} role="img" aria-label={label} />;
}
